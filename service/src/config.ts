import { z } from "zod";
import { SERVICE_PORT } from "../../contract/service-env";

const url = z.string().url();

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(SERVICE_PORT),
  TABLE_NAME: z.string().min(3, "must be a DynamoDB table name (3..255 chars)").max(255),
  AWS_REGION: z.string().min(1).default("us-east-1"),
  DYNAMODB_ENDPOINT: url.optional(),
  COGNITO_ISSUER: url,
  COGNITO_CLIENT_ID: z.string().min(1),
  AUTH_MODE: z.enum(["decode", "verify"]).default("decode"),
  JWKS_URI: url.optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(25_000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export type ServiceConfig = z.infer<typeof envSchema>;

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Validate the environment once at start; the error names every bad variable and what it needs. */
export function parseServiceConfig(env: Record<string, string | undefined>): ServiceConfig {
  // Empty strings are "not set", as a shell `FOO=` means.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema.safeParse(present);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
  throw new ConfigError(`Invalid service environment: ${problems.join("; ")}`);
}
