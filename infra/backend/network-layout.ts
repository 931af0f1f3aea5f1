/**
 * What each `natGateways` strategy means for the network, in one place that the program
 * (network.ts, backend.ts) and the cost estimator (cost/) both read, so they cannot disagree.
 * No Pulumi imports: the estimator runs without a Pulumi engine.
 */
import type { NatGatewayStrategy } from "../config";

/** The VPC spans this many availability zones (one public and one private subnet in each). */
export const AVAILABILITY_ZONES = 2;

/** NAT gateways awsx creates for a strategy (each with its own Elastic IP). */
export function natGatewayCount(strategy: NatGatewayStrategy): number {
  switch (strategy) {
    case "None":
      return 0;
    case "Single":
      return 1;
    case "OnePerAz":
      return AVAILABILITY_ZONES;
  }
}

/**
 * Without a NAT gateway the tasks reach AWS APIs (ECR, CloudWatch Logs, the Cognito JWKS) through
 * the internet gateway: they run in the public subnets with a public IP. Inbound is unchanged:
 * their security group admits only the load balancer's group.
 */
export function tasksHavePublicIps(strategy: NatGatewayStrategy): boolean {
  return strategy === "None";
}

/**
 * Tag on the ECS service saying where its tasks run, so a policy (or a reviewer) can tell the
 * dev layout from the private one without re-deriving it from subnets.
 */
export const TASK_NETWORK_TAG = "user-aware-api:task-network";
export type TaskNetwork = "public-subnets-dev-layout" | "private-subnets";

export function taskNetworkOf(strategy: NatGatewayStrategy): TaskNetwork {
  return tasksHavePublicIps(strategy) ? "public-subnets-dev-layout" : "private-subnets";
}
