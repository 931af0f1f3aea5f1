/**
 * The core section of the stack config: network, tasks (with the capacity model's stage throttle),
 * stage, authorizer, pool, protection, logs. Its own file, below index.ts, so that the sections
 * whose checks read core values (task placement, email) import it without a loop.
 */
import { stageNameProblem } from "../../contract/stage-prefix";
import { ID_TOKEN_VALIDITY_MINUTES } from "../../contract/token-times";
import type { MfaMode } from "../../contract/user-pool";
import { readCapacityConfig, type CapacityConfig } from "./capacity";
import type { ConfigReader } from "./reader";

/**
 * `None`: no NAT gateway; the tasks run in the public subnets with a public IP for egress (a dev
 * layout, see docs/security.md). `Single`/`OnePerAz`: tasks in the private subnets behind NAT.
 */
export type NatGatewayStrategy = "None" | "Single" | "OnePerAz";
export type AccountRoleMode = "create" | "existing";
export type AuthMode = "decode" | "verify";
export type CpuArchitecture = "X86_64" | "ARM64";
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error";

/** The core keys (readCoreConfig; docs/deploy.md#config-keys-namespace-user-aware-api), with the stage throttle of the capacity model. */
export interface CoreConfig extends CapacityConfig {
  /** NAT gateways: none (tasks in public subnets), one for the VPC, or one per AZ (resilient). */
  readonly natGateways: NatGatewayStrategy;
  /** Fargate task CPU units and memory (MiB); must be a valid Fargate pair. */
  readonly taskCpu: number;
  readonly taskMemory: number;
  readonly cpuArchitecture: CpuArchitecture;
  /** Autoscaling bounds for the service; `minTasks` is also the desired count at deploy. */
  readonly minTasks: number;
  readonly maxTasks: number;
  /** `create` the region-wide API Gateway CloudWatch role, or use the one already set. */
  readonly apiGatewayAccountRole: AccountRoleMode;
  /** Cognito authorizer result cache; 0 disables it. */
  readonly authorizerCacheTtlSeconds: number;
  /** The service's claims check: `decode` (trust the gateway) or `verify` the signature again. */
  readonly authMode: AuthMode;
  /** USER_PASSWORD_AUTH on the app client (for the CLI and smoke suite). */
  readonly allowPasswordAuth: boolean;
  /** Browser origins allowed by CORS; empty = no OPTIONS methods, no CORS headers. */
  readonly corsAllowedOrigins: readonly string[];
  /** Deletion protection on the pool, table and load balancer; retain them on delete; PITR. */
  readonly protect: boolean;
  /** Retention of the service's and the access log's CloudWatch log groups. */
  readonly logRetentionDays: number;
  /** X-Ray tracing on the stage. */
  readonly tracing: boolean;
  /** Lifetime of the id token (the API's credential), minutes. */
  readonly idTokenValidityMinutes: number;
  readonly mfa: MfaMode;
  /** Stage name; default the stack name. */
  readonly stageName: string;
  readonly logLevel: LogLevel;
}

/** CloudWatch Logs' accepted retention values (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** Valid Fargate memory values (MiB) per CPU value. */
export const FARGATE_MEMORY: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: range(1024, 4096, 1024),
  1024: range(2048, 8192, 1024),
  2048: range(4096, 16384, 1024),
  4096: range(8192, 30720, 1024),
};

/** The core keys (docs/deploy.md#config-keys-namespace-user-aware-api): network, tasks, stage, authorizer, pool, protection, logs. */
export function readCoreConfig(r: ConfigReader, defaultStageName: string): CoreConfig {
  const natGateways = r.oneOf<NatGatewayStrategy>("natGateways", ["None", "Single", "OnePerAz"], "Single");
  const cpuArchitecture = r.oneOf<CpuArchitecture>("cpuArchitecture", ["X86_64", "ARM64"], "X86_64");
  const cpuChoices = Object.keys(FARGATE_MEMORY).map(Number);
  const taskCpu = r.int("taskCpu", 1, 1_000_000, 256);
  if (!cpuChoices.includes(taskCpu)) r.fail("taskCpu", r.value("taskCpu"), cpuChoices.join(" | "));
  const memoryChoices = FARGATE_MEMORY[taskCpu] ?? [];
  const taskMemory = r.int("taskMemory", 1, 1_000_000, memoryChoices[0] ?? 512);
  if (cpuChoices.includes(taskCpu) && !memoryChoices.includes(taskMemory)) {
    r.fail("taskMemory", r.value("taskMemory") ?? taskMemory, `for taskCpu ${taskCpu}: ${memoryChoices.join(" | ")}`);
  }

  const minTasks = r.int("minTasks", 1, 100, 1);
  const maxTasks = r.int("maxTasks", 1, 100, Math.max(minTasks, 2));
  if (maxTasks < minTasks) r.fail("maxTasks", r.value("maxTasks"), `an integer from minTasks (${minTasks}) to 100`);

  // The model needs a valid task size and counts; with either invalid, those keys are the error.
  const capacity = readCapacityConfig(r, { taskCpu, minTasks, maxTasks }, cpuChoices.includes(taskCpu) && maxTasks >= minTasks);

  const apiGatewayAccountRole = r.oneOf<AccountRoleMode>("apiGatewayAccountRole", ["create", "existing"], "create");
  const authorizerCacheTtlSeconds = r.int("authorizerCacheTtlSeconds", 0, 3600, 300);
  const authMode = r.oneOf<AuthMode>("authMode", ["decode", "verify"], "verify");
  const allowPasswordAuth = r.bool("allowPasswordAuth", false);
  const corsAllowedOrigins = r.stringList("corsAllowedOrigins", isOrigin, "a list of origins, each https://<host>[:port] or http://localhost[:port], no path");
  const protect = r.bool("protect", true);
  const logRetentionDays = r.int("logRetentionDays", 1, 3653, 30);
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    r.fail("logRetentionDays", r.value("logRetentionDays"), LOG_RETENTION_DAYS.join(" | "));
  }
  const tracing = r.bool("tracing", true);
  const idTokenValidityMinutes = r.int("idTokenValidityMinutes", ID_TOKEN_VALIDITY_MINUTES.min, ID_TOKEN_VALIDITY_MINUTES.max, 60);
  const mfa = r.oneOf<MfaMode>("mfa", ["OFF", "OPTIONAL"], "OPTIONAL");
  const rawStage = r.value("stageName");
  const stageName = typeof rawStage === "string" ? rawStage : rawStage === undefined ? defaultStageName : "";
  const stageProblem = stageNameProblem(stageName);
  if (stageProblem) r.fail("stageName", rawStage ?? stageName, stageProblem);
  const logLevel = r.oneOf<LogLevel>("logLevel", ["trace", "debug", "info", "warn", "error"], "info");

  return {
    natGateways,
    taskCpu,
    taskMemory,
    cpuArchitecture,
    minTasks,
    maxTasks,
    ...capacity,
    apiGatewayAccountRole,
    authorizerCacheTtlSeconds,
    authMode,
    allowPasswordAuth,
    corsAllowedOrigins,
    protect,
    logRetentionDays,
    tracing,
    idTokenValidityMinutes,
    mfa,
    stageName,
    logLevel,
  };
}

function isOrigin(value: string): boolean {
  return /^https:\/\/[a-z0-9.-]+(:\d{1,5})?$/i.test(value) || /^http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?$/.test(value);
}

function range(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let v = from; v <= to; v += step) out.push(v);
  return out;
}
