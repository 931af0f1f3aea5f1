/**
 * Typed, validated stack configuration (namespace `user-aware-api`).
 *
 * `parseConfig(raw)` is pure: it takes the raw values by bare key (strings as Pulumi stores them,
 * or already-typed values), fills defaults in one place and either returns a `StackConfig` or
 * throws one `ConfigError` listing every bad key as `user-aware-api:<key>` with what is allowed.
 * Keys are read in sections (core.ts; a feature with several keys gets a file of its own in this
 * folder, composed in parseConfig) through one `ConfigReader` (reader.ts).
 * `loadConfig()` reads the running stack's config and calls it once, at program start.
 */
import * as pulumi from "@pulumi/pulumi";
import { readCoreConfig, type CoreConfig } from "./core";
import { CONFIG_NAMESPACE, ConfigError, ConfigReader } from "./reader";
import { readTaskPlacementConfig, type TaskPlacementConfig } from "./task-placement";
import { readDomainConfig, type DomainConfig } from "./domain";
import { readEmailConfig, type EmailConfig, type SesEmail } from "./email";
import { readMonitoringConfig, type MonitoringConfig } from "./monitoring";
import { readWafConfig, type WafConfig } from "./waf";

export { CONFIG_NAMESPACE, ConfigError };
export type { AccountRoleMode, AuthMode, CoreConfig, CpuArchitecture, LogLevel, NatGatewayStrategy } from "./core";
export { FARGATE_MEMORY } from "./core";
export type { TaskPlacementConfig, DomainConfig, EmailConfig, MonitoringConfig, SesEmail, WafConfig };

/** The whole stack config: every section's keys. */
export type StackConfig = CoreConfig & TaskPlacementConfig & EmailConfig & DomainConfig & MonitoringConfig & WafConfig;

/**
 * Parse and validate raw config (bare keys). `defaultStageName` is used when `stageName` is unset;
 * `region` is the stack's `aws:region`: the user pool's region, which SES sending is checked against,
 * and the region a custom domain's certificate must be in.
 * Each section reads its keys through one reader; `finish()` throws one error naming every bad key.
 */
export function parseConfig(raw: Readonly<Record<string, unknown>>, defaultStageName = "dev", region?: string): StackConfig {
  const r = new ConfigReader(raw);
  const core = readCoreConfig(r, defaultStageName);
  const config: StackConfig = {
    ...core,
    ...readTaskPlacementConfig(r, core),
    ...readEmailConfig(r, core, region),
    ...readDomainConfig(r, region),
    ...readMonitoringConfig(r),
    ...readWafConfig(r),
  };
  r.finish();
  return config;
}

/**
 * Read the running stack's `user-aware-api:*` config and validate it (throws `ConfigError`). The
 * region is the AWS provider's: `aws:region`, else the environment the provider falls back to.
 */
export function loadConfig(): StackConfig {
  const prefix = `${CONFIG_NAMESPACE}:`;
  const all = pulumi.runtime.allConfig();
  const raw: Record<string, string> = {};
  for (const [k, v] of Object.entries(all)) {
    if (k.startsWith(prefix)) raw[k.slice(prefix.length)] = v;
  }
  // Where the provider will deploy: aws:region, else the environment the AWS provider also reads.
  const region = pulumi.runtime.allConfig()["aws:region"] ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  return parseConfig(raw, pulumi.getStack(), region);
}
