/**
 * Network invariants, 5 in docs/architecture.md#infrastructure-invariants: nothing is reachable from the internet but the API.
 * No security group admits a public address range inbound (inline `ingress`, `SecurityGroupRule`
 * of type ingress, or `vpc.SecurityGroupIngressRule`; IPv4 and IPv6); load balancers are internal;
 * ECS tasks get no public IP unless the stack's policy config allows it (the dev layout without NAT
 * gateways), and even then their security group admits only the load balancer (the rule above).
 */
import { BlockList } from "node:net";
import * as aws from "@pulumi/aws";
import { type ResourceValidationArgs, type ResourceValidationPolicy, type ReportViolation, validateResourceOfType } from "@pulumi/policy";
import { allowPublicTaskIps, protectionSchema, publicTaskIpSchema, requireProtection } from "./config";

/** Private address space: RFC 1918 (IPv4) and unique local addresses fc00::/7 (IPv6). */
const PRIVATE_RANGES: readonly { address: string; prefix: number; family: "ipv4" | "ipv6" }[] = [
  { address: "10.0.0.0", prefix: 8, family: "ipv4" },
  { address: "172.16.0.0", prefix: 12, family: "ipv4" },
  { address: "192.168.0.0", prefix: 16, family: "ipv4" },
  { address: "fc00::", prefix: 7, family: "ipv6" },
];
const privateRanges = PRIVATE_RANGES.map((r) => {
  const list = new BlockList();
  list.addSubnet(r.address, r.prefix, r.family);
  return { ...r, list };
});

/**
 * True when every address of `cidr` is private: its network address lies in a private range and
 * its prefix is at least as long as that range's. `0.0.0.0/0`, `::/0`, any public range and
 * anything unparseable are not private.
 */
export function isPrivateCidr(cidr: string): boolean {
  const [address = "", bits] = cidr.trim().split("/");
  const prefix = bits === undefined ? undefined : Number(bits);
  return privateRanges.some((r) => {
    try {
      const length = prefix ?? (r.family === "ipv4" ? 32 : 128);
      return Number.isInteger(length) && length >= r.prefix && r.list.check(address, r.family);
    } catch {
      return false; // not an address of this family
    }
  });
}

const publicCidrs = (cidrs: readonly (string | undefined)[] | undefined) =>
  (cidrs ?? []).filter((c): c is string => typeof c === "string" && !isPrivateCidr(c));

const FIX = "admit the source's security group instead (referencedSecurityGroupId / securityGroups / sourceSecurityGroupId)";

export const securityGroupNoInternetIngress: ResourceValidationPolicy = {
  name: "security-group-no-internet-ingress",
  description:
    "No security-group rule admits a public address range inbound (0.0.0.0/0, ::/0 or any CIDR outside RFC 1918 / fc00::/7): inline ingress of aws.ec2.SecurityGroup, aws.ec2.SecurityGroupRule of type ingress, aws.vpc.SecurityGroupIngressRule.",
  enforcementLevel: "mandatory",
  validateResource: [
    validateResourceOfType(aws.ec2.SecurityGroup, (group, args, reportViolation) => {
      (group.ingress ?? []).forEach((rule, i) => {
        const open = [...publicCidrs(rule.cidrBlocks), ...publicCidrs(rule.ipv6CidrBlocks)];
        if (open.length > 0) {
          reportViolation(
            `SecurityGroup '${args.name}' ingress[${i}] (ports ${rule.fromPort}-${rule.toPort}) admits ${open.join(", ")} from the internet: ` +
              `remove those cidrBlocks/ipv6CidrBlocks and ${FIX}.`,
          );
        }
      });
    }),
    validateResourceOfType(aws.ec2.SecurityGroupRule, (rule, args, reportViolation) => {
      if (rule.type !== "ingress") return;
      const open = [...publicCidrs(rule.cidrBlocks), ...publicCidrs(rule.ipv6CidrBlocks)];
      if (open.length > 0) {
        reportViolation(
          `SecurityGroupRule '${args.name}' (type ingress, ports ${rule.fromPort}-${rule.toPort}) admits ${open.join(", ")} from the internet: ` +
            `remove those cidrBlocks/ipv6CidrBlocks and ${FIX}.`,
        );
      }
    }),
    validateResourceOfType(aws.vpc.SecurityGroupIngressRule, (rule, args, reportViolation) => {
      const open = publicCidrs([rule.cidrIpv4, rule.cidrIpv6]);
      if (open.length > 0) {
        reportViolation(
          `SecurityGroupIngressRule '${args.name}' (ports ${rule.fromPort}-${rule.toPort}) admits ${open.join(", ")} from the internet: ` +
            `remove cidrIpv4/cidrIpv6 and ${FIX}.`,
        );
      }
    }),
  ],
};

type LoadBalancerProps = { internal?: boolean; enableDeletionProtection?: boolean };
/** aws.lb.LoadBalancer and its alias aws.alb.LoadBalancer share one shape. */
const eachLoadBalancer = (check: (lb: LoadBalancerProps, args: ResourceValidationArgs, report: ReportViolation) => void) => [
  validateResourceOfType(aws.lb.LoadBalancer, check),
  validateResourceOfType(aws.alb.LoadBalancer, check),
];

export const loadBalancerInternal: ResourceValidationPolicy = {
  name: "load-balancer-internal",
  description: "Every load balancer (aws.lb, aws.alb, classic aws.elb) is internal: only the API Gateway VPC link reaches it.",
  enforcementLevel: "mandatory",
  validateResource: [
    ...eachLoadBalancer((lb, args, reportViolation) => {
      if (lb.internal !== true) {
        reportViolation(`LoadBalancer '${args.name}' is internet-facing (internal: ${JSON.stringify(lb.internal)}): set internal: true.`);
      }
    }),
    validateResourceOfType(aws.elb.LoadBalancer, (lb, args, reportViolation) => {
      if (lb.internal !== true) {
        reportViolation(`Classic LoadBalancer '${args.name}' is internet-facing (internal: ${JSON.stringify(lb.internal)}): set internal: true.`);
      }
    }),
  ],
};

export const loadBalancerDeletionProtection: ResourceValidationPolicy = {
  name: "load-balancer-deletion-protection",
  description: "With requireProtection (production, the default), every application/network load balancer has enableDeletionProtection: true.",
  enforcementLevel: "mandatory",
  configSchema: protectionSchema,
  validateResource: eachLoadBalancer((lb, args, reportViolation) => {
    if (requireProtection(args) && lb.enableDeletionProtection !== true) {
      reportViolation(
        `LoadBalancer '${args.name}' can be deleted (enableDeletionProtection: ${JSON.stringify(lb.enableDeletionProtection)}): ` +
          `set enableDeletionProtection: true (the stack's protect: true does this).`,
      );
    }
  }),
};

/** Type token of awsx's FargateService component (a remote component: no class to import here). */
export const AWSX_FARGATE_SERVICE = "awsx:ecs:FargateService";

interface AwsxFargateServiceProps {
  assignPublicIp?: boolean;
  networkConfiguration?: { assignPublicIp?: boolean; subnets?: string[]; securityGroups?: string[] };
}

const PUBLIC_IP_FIX =
  "set networkConfiguration.assignPublicIp: false and run the tasks in private subnets (a dev stack without NAT gateways sets allowPublicTaskIps: true in its policy config instead)";

export const ecsTasksNoPublicIp: ResourceValidationPolicy = {
  name: "ecs-tasks-no-public-ip",
  description:
    "ECS services and task sets (and awsx FargateService components) give their tasks no public IP, unless the policy config sets allowPublicTaskIps (dev layout without NAT gateways).",
  enforcementLevel: "mandatory",
  configSchema: publicTaskIpSchema,
  validateResource: [
    validateResourceOfType(aws.ecs.Service, (service, args, reportViolation) => {
      if (service.networkConfiguration?.assignPublicIp === true && !allowPublicTaskIps(args)) {
        reportViolation(`ECS Service '${args.name}' gives its tasks a public IP (networkConfiguration.assignPublicIp: true): ${PUBLIC_IP_FIX}.`);
      }
    }),
    validateResourceOfType(aws.ecs.TaskSet, (taskSet, args, reportViolation) => {
      if (taskSet.networkConfiguration?.assignPublicIp === true && !allowPublicTaskIps(args)) {
        reportViolation(`ECS TaskSet '${args.name}' gives its tasks a public IP (networkConfiguration.assignPublicIp: true): ${PUBLIC_IP_FIX}.`);
      }
    }),
    // awsx's FargateService is a component: a real preview also shows its child aws:ecs/service:Service
    // (checked above); under unit-test mocks only the component's own inputs are visible.
    (args, reportViolation) => {
      if (args.type !== AWSX_FARGATE_SERVICE) return args.notApplicable(`Policy only applies to ${AWSX_FARGATE_SERVICE} here`);
      const service = args.props as AwsxFargateServiceProps;
      if (service.networkConfiguration === undefined) {
        // awsx then uses the default VPC and a security group open to 0.0.0.0/0 and ::/0.
        reportViolation(
          `awsx FargateService '${args.name}' has no networkConfiguration, so awsx puts it in the default VPC behind a security group open to 0.0.0.0/0 and ::/0: ` +
            `set networkConfiguration { subnets, securityGroups, assignPublicIp: false }.`,
        );
        return;
      }
      if ((service.networkConfiguration.assignPublicIp === true || service.assignPublicIp === true) && !allowPublicTaskIps(args)) {
        reportViolation(`awsx FargateService '${args.name}' gives its tasks a public IP (networkConfiguration.assignPublicIp: true): ${PUBLIC_IP_FIX}.`);
      }
    },
  ],
};

export const networkPolicies: ResourceValidationPolicy[] = [
  securityGroupNoInternetIngress,
  loadBalancerInternal,
  loadBalancerDeletionProtection,
  ecsTasksNoPublicIp,
];
