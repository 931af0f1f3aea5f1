/**
 * Backend: the Hono service on ECS Fargate behind the internal ALB of `Network` (private subnets,
 * or public subnets with a public IP for egress when `natGateways` is None). Image built from
 * service/Dockerfile, task role limited to the notes table's items and to deleting users of this
 * pool (DELETE /me), log group with retention, circuit-breaker rollback, CPU and request-count
 * target tracking, FARGATE or FARGATE_SPOT.
 */
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { SERVICE_PORT, type serviceEnv } from "../../contract/service-env";
import type { AuthMode, CpuArchitecture, LogLevel, NatGatewayStrategy } from "../config";
import { Network } from "./network";
import { TASK_NETWORK_TAG, taskNetworkOf } from "./network-layout";
import { pendingDeletionsIndex } from "../../contract/notes-table";
import { INDEX_ACTIONS, TABLE_ACTIONS, USER_POOL_ACTIONS } from "./task-permissions";

export interface BackendArgs {
  /** `None` puts the tasks in public subnets with a public IP (dev); else private subnets behind NAT. */
  natGateways: NatGatewayStrategy;
  /** Run the tasks on FARGATE_SPOT instead of FARGATE (the capacity provider strategy's only entry). */
  spot: boolean;
  /** Fargate task size (a valid pair; validated by config). */
  taskCpu: number;
  taskMemory: number;
  cpuArchitecture: CpuArchitecture;
  /** Autoscaling bounds; `minTasks` is also the desired count at deploy. */
  minTasks: number;
  maxTasks: number;
  /**
   * The request-count scaling target, requests per task per minute (ALBRequestCountPerTarget): the
   * capacity model's (infra/config/capacity.ts), reachable under the stage throttle at minTasks.
   */
  requestCountTargetPerMinute: number;
  /** The notes table: its name goes to the task, its ARN bounds the task role. */
  tableName: pulumi.Input<string>;
  tableArn: pulumi.Input<string>;
  /** The pool's issuer and app client id: what the service checks `iss` and `aud` against. */
  issuer: pulumi.Input<string>;
  clientId: pulumi.Input<string>;
  /** The user pool DELETE /me removes users from: its id goes to the task, its ARN bounds the task role. */
  userPoolId: pulumi.Input<string>;
  userPoolArn: pulumi.Input<string>;
  authMode: AuthMode;
  logLevel: LogLevel;
  /** Browser origins; the service adds CORS headers to its responses for them. */
  corsAllowedOrigins: readonly string[];
  /**
   * The API Gateway stage (`STAGE_NAME`): the service routes `/<stageName>/…` as `/…`, since API
   * Gateway may put the stage in the path it sends over the VPC link (docs/deploy.md).
   */
  stageName: string;
  region: pulumi.Input<string>;
  logRetentionDays: number;
  /** Deletion protection on the load balancer; keep the image repository on delete. */
  protect: boolean;
  /** ECS Container Insights on the cluster (task counts for the dashboard; billed as custom metrics). */
  containerInsights: boolean;
}

export const CONTAINER_NAME = "service";
/** The Fargate capacity providers the cluster offers; the service picks one by `spot`. */
export const FARGATE_CAPACITY_PROVIDERS = ["FARGATE", "FARGATE_SPOT"] as const;
/** The task's stopTimeout: ECS sends SIGKILL this long after SIGTERM. */
export const STOP_TIMEOUT_SECONDS = 30;
/** The service's own hard deadline for draining, below the stopTimeout. */
export const SHUTDOWN_TIMEOUT_MS = 25_000;
export const CPU_TARGET_PERCENT = 60;
export { INDEX_ACTIONS, TABLE_ACTIONS, USER_POOL_ACTIONS };

/** Repository root, whatever the working directory `pulumi up` runs in. */
const REPO_ROOT = path.resolve(__dirname, "..");

/**
 * After the first deploy the autoscaler owns the task count: without this, every `pulumi up` would
 * set the ECS service back to `minTasks`, scaling a busy service in during a deploy. A transform
 * (not `ignoreChanges` on the component) because the ECS service is a child that awsx creates.
 */
export const keepScaledTaskCount: pulumi.ResourceTransform = (args) =>
  args.type === "aws:ecs/service:Service" ? { props: args.props, opts: pulumi.mergeOptions(args.opts, { ignoreChanges: ["desiredCount"] }) } : undefined;

export class Backend extends pulumi.ComponentResource {
  readonly network: Network;
  readonly logGroup: aws.cloudwatch.LogGroup;
  readonly taskRole: aws.iam.Role;
  readonly taskRolePolicy: aws.iam.RolePolicy;
  readonly repository: awsx.ecr.Repository;
  readonly image: awsx.ecr.Image;
  readonly cluster: aws.ecs.Cluster;
  readonly capacityProviders: aws.ecs.ClusterCapacityProviders;
  readonly service: awsx.ecs.FargateService;
  readonly scalingTarget: aws.appautoscaling.Target;
  readonly scalingPolicies: readonly aws.appautoscaling.Policy[];

  constructor(name: string, args: BackendArgs, opts?: pulumi.ComponentResourceOptions) {
    super("user-aware-api:aws:Backend", name, {}, opts);

    this.network = new Network(
      `${name}-net`,
      {
        natGateways: args.natGateways,
        protect: args.protect,
        region: args.region,
        tableArn: args.tableArn,
      },
      { parent: this },
    );
    const net = this.network;

    this.logGroup = new aws.cloudwatch.LogGroup(`${name}-logs`, { retentionInDays: args.logRetentionDays }, { parent: this });

    // The task role may touch items of this one table, query its pending-deletions index (the
    // reaper) and delete users of this one pool, nothing else.
    this.taskRole = new aws.iam.Role(
      `${name}-task-role`,
      {
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
      },
      { parent: this },
    );
    this.taskRolePolicy = new aws.iam.RolePolicy(
      `${name}-task-table`,
      {
        role: this.taskRole.id,
        policy: pulumi.all([args.tableArn, args.userPoolArn]).apply(([tableArn, userPoolArn]) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: [...TABLE_ACTIONS], Resource: tableArn },
              { Effect: "Allow", Action: [...INDEX_ACTIONS], Resource: `${tableArn}/index/${pendingDeletionsIndex.name}` },
              { Effect: "Allow", Action: [...USER_POOL_ACTIONS], Resource: userPoolArn },
            ],
          }),
        ),
      },
      { parent: this },
    );

    this.repository = new awsx.ecr.Repository(`${name}-repo`, { forceDelete: !args.protect }, { parent: this });
    this.image = new awsx.ecr.Image(
      `${name}-image`,
      {
        repositoryUrl: this.repository.url,
        context: REPO_ROOT,
        dockerfile: path.join(REPO_ROOT, "service", "Dockerfile"),
        platform: args.cpuArchitecture === "ARM64" ? "linux/arm64" : "linux/amd64",
      },
      { parent: this },
    );

    this.cluster = new aws.ecs.Cluster(
      `${name}-cluster`,
      {
        settings: [{ name: "containerInsights", value: args.containerInsights ? "enabled" : "disabled" }],
      },
      { parent: this },
    );
    // A capacity provider strategy in both modes (FARGATE or FARGATE_SPOT), never a launch type:
    // switching between two strategies is an in-place rolling deployment (with forceNewDeployment),
    // whereas launch type <-> strategy replaces the ECS service.
    const capacityProviderStrategy = { capacityProvider: args.spot ? "FARGATE_SPOT" : "FARGATE", weight: 1 };
    this.capacityProviders = new aws.ecs.ClusterCapacityProviders(
      `${name}-capacity`,
      {
        clusterName: this.cluster.name,
        capacityProviders: [...FARGATE_CAPACITY_PROVIDERS],
        defaultCapacityProviderStrategies: [capacityProviderStrategy],
      },
      { parent: this },
    );

    const environment: Record<keyof typeof serviceEnv, pulumi.Input<string> | undefined> = {
      PORT: String(SERVICE_PORT),
      // Unset = all interfaces: the load balancer reaches the task's own address, not loopback.
      LISTEN_HOST: undefined,
      TABLE_NAME: args.tableName,
      AWS_REGION: args.region,
      DYNAMODB_ENDPOINT: undefined,
      COGNITO_ISSUER: args.issuer,
      COGNITO_CLIENT_ID: args.clientId,
      COGNITO_USER_POOL_ID: args.userPoolId,
      // The real Cognito endpoint of the region; the override is for cognito-local only.
      COGNITO_ENDPOINT: undefined,
      // Write deadlines and the deletion reaper's timing stay at the service's production defaults
      // (service/src/account/timing.ts: a failed deletion is finished within 15 minutes).
      WRITE_DEADLINE_MS: undefined,
      REAPER_PERIOD_MS: undefined,
      DELETION_LEASE_MS: undefined,
      AUTH_MODE: args.authMode,
      JWKS_URI: undefined,
      SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS),
      LOG_LEVEL: args.logLevel,
      CORS_ALLOWED_ORIGINS: args.corsAllowedOrigins.length > 0 ? args.corsAllowedOrigins.join(",") : undefined,
      STAGE_NAME: args.stageName,
    };

    this.service = new awsx.ecs.FargateService(
      `${name}-service`,
      {
        cluster: this.cluster.arn,
        desiredCount: args.minTasks,
        // awsx refuses `assignPublicIp` next to `networkConfiguration`: set it only here.
        networkConfiguration: {
          subnets: net.taskSubnetIds,
          securityGroups: [net.taskSecurityGroup.id],
          assignPublicIp: net.assignPublicIp,
        },
        // With a strategy awsx leaves launchType unset (the two conflict). A Spot interruption is a
        // SIGTERM two minutes ahead: the graceful shutdown drains well inside it (docs/runtime.md).
        capacityProviderStrategies: [capacityProviderStrategy],
        // ECS refuses a strategy change without a new deployment.
        forceNewDeployment: true,
        tags: { [TASK_NETWORK_TAG]: taskNetworkOf(args.natGateways) },
        loadBalancers: [{ targetGroupArn: net.targetGroup.arn, containerName: CONTAINER_NAME, containerPort: SERVICE_PORT }],
        healthCheckGracePeriodSeconds: 30,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        deploymentMinimumHealthyPercent: 100,
        deploymentMaximumPercent: 200,
        propagateTags: "SERVICE",
        taskDefinitionArgs: {
          cpu: String(args.taskCpu),
          memory: String(args.taskMemory),
          runtimePlatform: { cpuArchitecture: args.cpuArchitecture, operatingSystemFamily: "LINUX" },
          taskRole: { roleArn: this.taskRole.arn },
          logGroup: { skip: true },
          container: {
            name: CONTAINER_NAME,
            image: this.image.imageUri,
            essential: true,
            portMappings: [{ containerPort: SERVICE_PORT, hostPort: SERVICE_PORT, protocol: "tcp" }],
            environment: Object.entries(environment)
              .filter((e): e is [string, pulumi.Input<string>] => e[1] !== undefined)
              .map(([envName, value]) => ({ name: envName, value })),
            // An init process reaps zombies and forwards SIGTERM to node.
            linuxParameters: { initProcessEnabled: true },
            stopTimeout: STOP_TIMEOUT_SECONDS,
            logConfiguration: {
              logDriver: "awslogs",
              options: { "awslogs-group": this.logGroup.name, "awslogs-region": args.region, "awslogs-stream-prefix": CONTAINER_NAME },
            },
          },
        },
      },
      { parent: this, dependsOn: [net.listener, this.capacityProviders], transforms: [keepScaledTaskCount] },
    );

    // Scale between min and max on CPU and on requests per target (either can scale out).
    this.scalingTarget = new aws.appautoscaling.Target(
      `${name}-scaling`,
      {
        serviceNamespace: "ecs",
        scalableDimension: "ecs:service:DesiredCount",
        resourceId: pulumi.interpolate`service/${this.cluster.name}/${this.service.service.name}`,
        minCapacity: args.minTasks,
        maxCapacity: args.maxTasks,
      },
      { parent: this },
    );
    const target = this.scalingTarget;
    const policy = (suffix: string, predefinedMetricType: string, targetValue: number, resourceLabel?: pulumi.Input<string>) =>
      new aws.appautoscaling.Policy(
        `${name}-${suffix}`,
        {
          policyType: "TargetTrackingScaling",
          serviceNamespace: target.serviceNamespace,
          scalableDimension: target.scalableDimension,
          resourceId: target.resourceId,
          targetTrackingScalingPolicyConfiguration: {
            predefinedMetricSpecification: { predefinedMetricType, resourceLabel },
            targetValue,
            scaleInCooldown: 120,
            scaleOutCooldown: 60,
          },
        },
        { parent: this },
      );
    this.scalingPolicies = [
      policy("scale-cpu", "ECSServiceAverageCPUUtilization", CPU_TARGET_PERCENT),
      // Requests per task per minute, derived from the measured CPU per request (infra/backend/capacity.ts).
      policy(
        "scale-requests",
        "ALBRequestCountPerTarget",
        args.requestCountTargetPerMinute,
        pulumi.interpolate`${net.loadBalancer.arnSuffix}/${net.targetGroup.arnSuffix}`,
      ),
    ];

    this.registerOutputs({ imageUri: this.image.imageUri, loadBalancerDnsName: net.loadBalancer.dnsName });
  }
}
