import { isIP } from "node:net";
import * as z from "zod";
import { SERVICE_PORT, type serviceEnv } from "../../contract/service-env";
import { reservedStageNames, stageNameProblem } from "../../contract/stage-prefix";
import { DEFAULT_REAPER_PERIOD_MS, DELETION_COMPLETES_WITHIN_MS, productionTiming, reapedWithinMs } from "./account/timing";

/** http is allowed: cognito-local and DynamoDB Local are served over plain http. */
const httpUrl = z.url({ protocol: /^https?$/ });
const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const authModes = ["decode", "verify"] as const;
/** Cognito's user pool id pattern (`eu-west-2_AbC123`; cognito-local: `local_AbC123`). */
const USER_POOL_ID = /^[\w-]+_[0-9a-zA-Z]+$/;

const envObject = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(SERVICE_PORT),
  // An address, not a name: a name could resolve to anything (and to all interfaces nowhere).
  LISTEN_HOST: z
    .string()
    .refine((v) => isIP(v) !== 0)
    .optional(),
  TABLE_NAME: z.string().min(3).max(255),
  AWS_REGION: z.string().min(1).default("us-east-1"),
  DYNAMODB_ENDPOINT: httpUrl.optional(),
  COGNITO_ISSUER: httpUrl,
  COGNITO_CLIENT_ID: z.string().min(1),
  COGNITO_USER_POOL_ID: z.string().regex(USER_POOL_ID).optional(),
  COGNITO_ENDPOINT: httpUrl.optional(),
  // Required, no default: whether to trust the gateway's signature check is a security choice
  // each deployment states (infra sets it from the stack's `authMode`; the local stack: verify).
  AUTH_MODE: z.enum(authModes),
  JWKS_URI: httpUrl.optional(),
  // Below ECS's stopTimeout (30 s), so the deadline is ours and not a SIGKILL.
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(25_000),
  LOG_LEVEL: z.enum(logLevels).default("info"),
  CORS_ALLOWED_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().refine(isOrigin)))
    .default([]),
  STAGE_NAME: z
    .string()
    .refine((name) => stageNameProblem(name) === undefined)
    .optional(),
  WRITE_DEADLINE_MS: z.coerce.number().int().min(100).max(10_000).default(productionTiming.writeDeadlineMs),
  REAPER_PERIOD_MS: z.coerce.number().int().min(100).max(DELETION_COMPLETES_WITHIN_MS).default(DEFAULT_REAPER_PERIOD_MS),
  DELETION_LEASE_MS: z.coerce.number().int().min(1_000).max(DELETION_COMPLETES_WITHIN_MS).default(productionTiming.leaseMs),
});

const envSchema = envObject
  .superRefine((env, ctx) => {
    // DELETE /me deletes users of this pool: it must be the pool whose tokens the service accepts.
    const fromIssuer = poolIdOf(env.COGNITO_ISSUER);
    if (env.COGNITO_USER_POOL_ID === undefined ? fromIssuer === undefined : env.COGNITO_USER_POOL_ID !== fromIssuer) {
      ctx.addIssue({ code: "custom", path: ["COGNITO_USER_POOL_ID"], message: "not the issuer's pool" });
    }
    // The promise that a failed deletion is finished within 15 minutes (account/timing.ts).
    if (reapedWithinMs(env.REAPER_PERIOD_MS, env.DELETION_LEASE_MS) > DELETION_COMPLETES_WITHIN_MS) {
      ctx.addIssue({ code: "custom", path: ["REAPER_PERIOD_MS"], message: "deletions could take longer than 15 minutes to finish" });
    }
  })
  .transform((env) => ({ ...env, COGNITO_USER_POOL_ID: env.COGNITO_USER_POOL_ID ?? (poolIdOf(env.COGNITO_ISSUER) as string) }));

export type ServiceConfig = z.infer<typeof envSchema>;
type EnvName = keyof typeof serviceEnv;

/** What a valid value looks like, per variable: the error names the variable and this, never the value. */
const expected: Readonly<Record<EnvName, string>> = {
  PORT: "an integer port 0..65535",
  LISTEN_HOST: "an IP address such as 127.0.0.1 or ::1 (unset: all interfaces)",
  TABLE_NAME: "a DynamoDB table name (3..255 chars)",
  AWS_REGION: "an AWS region such as eu-west-2",
  DYNAMODB_ENDPOINT: "an http(s) URL",
  COGNITO_ISSUER: "the user pool's issuer URL (stack output `issuer`)",
  COGNITO_CLIENT_ID: "the app client id",
  COGNITO_USER_POOL_ID: "the user pool id that ends COGNITO_ISSUER (set it, or give an issuer ending in the pool id)",
  COGNITO_ENDPOINT: "an http(s) URL",
  AUTH_MODE: `one of ${authModes.join(", ")}`,
  JWKS_URI: "an http(s) URL",
  SHUTDOWN_TIMEOUT_MS: "an integer number of milliseconds 100..120000",
  LOG_LEVEL: `one of ${logLevels.join(", ")}`,
  CORS_ALLOWED_ORIGINS: "a comma-separated list of origins such as https://app.example.com",
  STAGE_NAME: `the API Gateway stage name (1..128 letters, digits, '-' or '_'; not ${reservedStageNames().join(", ")})`,
  WRITE_DEADLINE_MS: "an integer number of milliseconds 100..10000",
  REAPER_PERIOD_MS: `an integer number of milliseconds 100..${DELETION_COMPLETES_WITHIN_MS}, with REAPER_PERIOD_MS + 1.5 × DELETION_LEASE_MS at most ${DELETION_COMPLETES_WITHIN_MS}`,
  DELETION_LEASE_MS: `an integer number of milliseconds 1000..${DELETION_COMPLETES_WITHIN_MS}`,
};

export class ConfigError extends Error {
  override readonly name = "ConfigError";
  /** The variables that are missing or invalid, in schema order. */
  readonly variables: readonly string[];

  constructor(message: string, variables: readonly string[]) {
    super(message);
    this.variables = variables;
  }
}

/**
 * Validate the environment once at start. The error is one line naming every bad variable and
 * what it needs (not the value it had: a value in a log line is how secrets leak).
 */
export function parseServiceConfig(env: Readonly<Record<string, string | undefined>>): ServiceConfig {
  // Empty strings are "not set", as a shell `FOO=` means.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(present);
  if (result.success) return result.data;
  const variables = [...new Set(result.error.issues.map((i) => String(i.path[0])))];
  const problems = variables.map((name) => (present[name] === undefined ? `${name} is required` : `${name} must be ${expected[name as EnvName] ?? "valid"}`));
  throw new ConfigError(`Invalid service environment: ${problems.join("; ")}`, variables);
}

/** `https://app.example.com` or `http://localhost:8081`: scheme, host and port, nothing else. */
function isOrigin(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.origin === value;
  } catch {
    return false;
  }
}

/** The pool id an issuer ends with (`…/eu-west-2_AbC123`), if it does. */
export function poolIdOf(issuer: string): string | undefined {
  const last = issuer.replace(/\/+$/, "").split("/").pop() ?? "";
  return USER_POOL_ID.test(last) ? last : undefined;
}

/** Where the pool publishes its signing keys, unless JWKS_URI overrides it. */
export function defaultJwksUri(issuer: string): string {
  return `${issuer.replace(/\/+$/, "")}/.well-known/jwks.json`;
}
