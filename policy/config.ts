/**
 * The pack's knobs. Each policy that differs between a dev and a prod layout declares its own config
 * schema (the CLI validates `--policy-pack-config` against it) and reads it through these helpers,
 * which fall back to the strict value when no config is given: a stack is treated as production
 * unless its policy config says otherwise (policy/dev.json).
 */
import type { PolicyConfigSchema, ResourceValidationArgs, StackValidationArgs } from "@pulumi/policy";

/** Config of the production-only policies (deletion protection, PITR). */
export interface ProtectionConfig {
  /** Require the protection; `false` only for throwaway (dev) stacks. Default true. */
  requireProtection: boolean;
}

/** Config of the task public-IP policy. */
export interface PublicTaskIpConfig {
  /** Allow tasks a public IP (dev layout without NAT gateways: tasks egress through an internet gateway). Default false. */
  allowPublicTaskIps: boolean;
}

export const protectionSchema: PolicyConfigSchema = {
  properties: {
    requireProtection: {
      type: "boolean",
      default: true,
      description: "Require this protection (production). Set false only in a dev stack's policy config.",
    },
  },
};

export const publicTaskIpSchema: PolicyConfigSchema = {
  properties: {
    allowPublicTaskIps: {
      type: "boolean",
      default: false,
      description: "Allow ECS tasks a public IP (dev layout with natGateways None). Their security group still admits only the load balancer.",
    },
  },
};

type ConfigSource = Pick<ResourceValidationArgs | StackValidationArgs, "getConfig">;

export function requireProtection(args: ConfigSource): boolean {
  return args.getConfig<Partial<ProtectionConfig>>().requireProtection !== false;
}

export function allowPublicTaskIps(args: ConfigSource): boolean {
  return args.getConfig<Partial<PublicTaskIpConfig>>().allowPublicTaskIps === true;
}
