/**
 * Network: VPC, the security-group chain VPC link → load balancer → tasks, the VPC link V2, the
 * internal ALB with its listener and target group, and the DynamoDB gateway endpoint. Nothing here
 * accepts a connection from the internet: with `natGateways: None` the tasks have public IPs for
 * egress, but their group still admits only the load balancer's group (docs/security.md).
 */
import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import { HEALTH_PATH } from "../../contract/routes";
import { SERVICE_PORT } from "../../contract/service-env";
import type { NatGatewayStrategy } from "../config";
import { AVAILABILITY_ZONES, tasksHavePublicIps } from "./network-layout";

export interface NetworkArgs {
  /** `None` (tasks in public subnets with a public IP), `Single` or `OnePerAz` (tasks behind NAT). */
  natGateways: NatGatewayStrategy;
  /** Deletion protection on the load balancer. */
  protect: boolean;
  /** The stack's region: names the DynamoDB gateway endpoint's service. */
  region: pulumi.Input<string>;
  /** The notes table: the only table the DynamoDB endpoint's policy lets traffic reach. */
  tableArn: pulumi.Input<string>;
}

/** The ALB listens on plain HTTP inside the VPC; only the VPC link can reach it. */
export const LISTENER_PORT = 80;
/** ALB idle timeout; the service's keepAliveTimeout (65 s) is above it. */
export const ALB_IDLE_TIMEOUT_SECONDS = 60;
/** Below the task's stopTimeout (30 s), so a draining task is deregistered before it is killed. */
export const DEREGISTRATION_DELAY_SECONDS = 15;

/** A security group in the VPC link → ALB → tasks chain, with the names its rules use. */
interface Endpoint {
  readonly key: string;
  readonly label: string;
  readonly group: aws.ec2.SecurityGroup;
}

/**
 * The route tables associated with `subnetIds`, read from the VPC's route-table associations
 * (awsx gives every subnet a route table of its own). Fails the deployment if there is none, so a
 * gateway endpoint can never silently route nothing.
 */
export function routeTablesOf(vpc: awsx.ec2.Vpc, subnetIds: pulumi.Input<string[]>): pulumi.Output<string[]> {
  const links = vpc.routeTableAssociations.apply((associations) => pulumi.all(associations.map((a) => pulumi.all([a.subnetId, a.routeTableId]))));
  return pulumi.all([links, subnetIds]).apply(([pairs, subnets]) => {
    const ids = [...new Set(pairs.filter(([subnet]) => subnet !== undefined && subnets.includes(subnet)).map(([, table]) => table))];
    if (ids.length === 0) throw new Error(`no route table is associated with the subnets ${subnets.join(", ")}`);
    return ids;
  });
}

export class Network extends pulumi.ComponentResource {
  readonly vpc: awsx.ec2.Vpc;
  /** Where the tasks run: the public subnets with `natGateways: None`, else the private ones. */
  readonly taskSubnetIds: pulumi.Output<string[]>;
  /** Whether the tasks get a public IP (only with `natGateways: None`). */
  readonly assignPublicIp: boolean;
  /** Free gateway endpoint for DynamoDB on the route tables of the tasks' subnets. */
  readonly dynamoDbEndpoint: aws.ec2.VpcEndpoint;
  readonly vpcLinkSecurityGroup: aws.ec2.SecurityGroup;
  readonly loadBalancerSecurityGroup: aws.ec2.SecurityGroup;
  readonly taskSecurityGroup: aws.ec2.SecurityGroup;
  readonly ingressRules: readonly aws.vpc.SecurityGroupIngressRule[];
  readonly egressRules: readonly aws.vpc.SecurityGroupEgressRule[];
  readonly vpcLink: aws.apigatewayv2.VpcLink;
  readonly loadBalancer: aws.lb.LoadBalancer;
  readonly targetGroup: aws.lb.TargetGroup;
  readonly listener: aws.lb.Listener;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("user-aware-api:aws:Network", name, {}, opts);

    this.vpc = new awsx.ec2.Vpc(
      `${name}-vpc`,
      {
        numberOfAvailabilityZones: AVAILABILITY_ZONES,
        natGateways: { strategy: args.natGateways },
        enableDnsHostnames: true,
        enableDnsSupport: true,
      },
      { parent: this },
    );
    const vpcId = this.vpc.vpcId;
    // The load balancer and the VPC link stay in the private subnets in every mode. With strategy
    // None awsx still builds the default public + private layout (its validateNatGatewayStrategy
    // accepts any subnets for None); the private route tables then have no default route.
    const privateSubnetIds = this.vpc.privateSubnetIds;
    this.assignPublicIp = tasksHavePublicIps(args.natGateways);
    this.taskSubnetIds = this.assignPublicIp ? this.vpc.publicSubnetIds : privateSubnetIds;

    // Groups first, rules as separate resources (the chain references groups both ways).
    const group = (suffix: string, description: string) => new aws.ec2.SecurityGroup(`${name}-${suffix}`, { vpcId, description }, { parent: this });
    this.vpcLinkSecurityGroup = group("vpclink-sg", "API Gateway VPC link: egress to the load balancer only");
    this.loadBalancerSecurityGroup = group("alb-sg", "Internal ALB: ingress from the VPC link only");
    this.taskSecurityGroup = group("tasks-sg", "Fargate tasks: ingress from the ALB only");

    const tcp = { ipProtocol: "tcp" } as const;
    // One link of the chain: `from` may open connections to `to` on `port` — an egress rule on
    // `from` and the matching ingress rule on `to`, each naming the other group, never a CIDR.
    const allow = (from: Endpoint, to: Endpoint, port: number, what: string) => ({
      ingress: new aws.vpc.SecurityGroupIngressRule(
        `${name}-${to.key}-from-${from.key}`,
        {
          ...tcp,
          securityGroupId: to.group.id,
          referencedSecurityGroupId: from.group.id,
          fromPort: port,
          toPort: port,
          description: `${from.label} to ${what}`,
        },
        { parent: this },
      ),
      egress: new aws.vpc.SecurityGroupEgressRule(
        `${name}-${from.key}-to-${to.key}`,
        {
          ...tcp,
          securityGroupId: from.group.id,
          referencedSecurityGroupId: to.group.id,
          fromPort: port,
          toPort: port,
          description: `to ${what}`,
        },
        { parent: this },
      ),
    });
    const vpcLink = { key: "vpclink", label: "VPC link", group: this.vpcLinkSecurityGroup };
    const alb = { key: "alb", label: "ALB", group: this.loadBalancerSecurityGroup };
    const tasks = { key: "tasks", label: "tasks", group: this.taskSecurityGroup };
    const toListener = allow(vpcLink, alb, LISTENER_PORT, "listener");
    const toContainer = allow(alb, tasks, SERVICE_PORT, "container port");
    this.ingressRules = [toListener.ingress, toContainer.ingress];
    this.egressRules = [
      toListener.egress,
      toContainer.egress,
      // AWS APIs without a gateway endpoint (ECR, CloudWatch Logs, the Cognito JWKS) through the NAT
      // gateway, or the internet gateway with natGateways None. Not narrowed: interface endpoints
      // for them would cost more than the NAT gateway this layout saves. DynamoDB traffic takes the
      // gateway endpoint's more specific route, and its policy (below) narrows it to this table.
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-tasks-to-https`,
        {
          ...tcp,
          securityGroupId: this.taskSecurityGroup.id,
          cidrIpv4: "0.0.0.0/0",
          fromPort: 443,
          toPort: 443,
          description: "HTTPS to AWS APIs",
        },
        { parent: this },
      ),
    ];

    // Free, and keeps DynamoDB traffic off the NAT gateway (no $/GB) and on AWS's network. Its
    // policy is a data perimeter: through it the tasks can reach this table and nothing else.
    this.dynamoDbEndpoint = new aws.ec2.VpcEndpoint(
      `${name}-dynamodb`,
      {
        vpcId,
        serviceName: pulumi.interpolate`com.amazonaws.${args.region}.dynamodb`,
        vpcEndpointType: "Gateway",
        routeTableIds: routeTablesOf(this.vpc, this.taskSubnetIds),
        policy: pulumi.output(args.tableArn).apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Sid: "ThisTableOnly", Effect: "Allow", Principal: "*", Action: "dynamodb:*", Resource: [arn, `${arn}/index/*`] }],
          }),
        ),
      },
      { parent: this },
    );

    // VPC link V2 (immutable: new subnets or groups replace it; INACTIVE after 60 idle days).
    this.vpcLink = new aws.apigatewayv2.VpcLink(
      `${name}-vpclink`,
      {
        subnetIds: privateSubnetIds,
        securityGroupIds: [this.vpcLinkSecurityGroup.id],
      },
      { parent: this },
    );

    this.loadBalancer = new aws.lb.LoadBalancer(
      `${name}-alb`,
      {
        internal: true,
        loadBalancerType: "application",
        securityGroups: [this.loadBalancerSecurityGroup.id],
        subnets: privateSubnetIds,
        idleTimeout: ALB_IDLE_TIMEOUT_SECONDS,
        dropInvalidHeaderFields: true,
        enableDeletionProtection: args.protect,
      },
      { parent: this },
    );

    this.targetGroup = new aws.lb.TargetGroup(
      `${name}-tg`,
      {
        vpcId,
        targetType: "ip",
        protocol: "HTTP",
        port: SERVICE_PORT,
        deregistrationDelay: DEREGISTRATION_DELAY_SECONDS,
        healthCheck: {
          path: HEALTH_PATH,
          protocol: "HTTP",
          port: "traffic-port",
          matcher: "200",
          interval: 10,
          timeout: 5,
          healthyThreshold: 2,
          unhealthyThreshold: 3,
        },
      },
      { parent: this },
    );

    this.listener = new aws.lb.Listener(
      `${name}-listener`,
      {
        loadBalancerArn: this.loadBalancer.arn,
        port: LISTENER_PORT,
        protocol: "HTTP",
        defaultActions: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
      },
      { parent: this },
    );

    this.registerOutputs({ vpcId, loadBalancerDnsName: this.loadBalancer.dnsName, vpcLinkId: this.vpcLink.id });
  }
}
