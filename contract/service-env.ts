/**
 * Environment variables the service reads (service/src/config.ts validates them).
 * infra/backend/service.ts sets them on the Fargate task; local/ sets them on the child process.
 */
export const serviceEnv = {
  /** Listen port; the container and target group use 8080. */
  PORT: "PORT",
  /**
   * Optional listen address (an IP literal). Unset: all interfaces, which the container needs (the
   * load balancer reaches the task's ENI address), so infra leaves it unset. The local stack sets
   * 127.0.0.1: on a laptop the service is reached only through the local gateway. Not `HOST`: some
   * shells export HOST as the machine's name, which must not rebind a service by accident.
   */
  LISTEN_HOST: "LISTEN_HOST",
  /** DynamoDB table holding the notes. Required. */
  TABLE_NAME: "TABLE_NAME",
  /** AWS region for the DynamoDB client. */
  AWS_REGION: "AWS_REGION",
  /** Optional DynamoDB endpoint override (DynamoDB Local locally). */
  DYNAMODB_ENDPOINT: "DYNAMODB_ENDPOINT",
  /** The user pool's issuer (stack output `issuer`), regional form or cognito-local's. Required. */
  COGNITO_ISSUER: "COGNITO_ISSUER",
  /** The app client id; the id token's `aud`. Required. */
  COGNITO_CLIENT_ID: "COGNITO_CLIENT_ID",
  /**
   * The user pool DELETE /me removes users from (AdminDeleteUser). Optional: by default the last
   * path segment of COGNITO_ISSUER (the pool id is part of it); when set, it must equal that.
   */
  COGNITO_USER_POOL_ID: "COGNITO_USER_POOL_ID",
  /** Optional Cognito API endpoint override (cognito-local locally), as DYNAMODB_ENDPOINT for DynamoDB. */
  COGNITO_ENDPOINT: "COGNITO_ENDPOINT",
  /**
   * No DynamoDB write of a notes request is sent later than this after the request started its
   * writes (a later one fails 503): a request never waits on the store near the gateway's 29 s.
   * Default 3000.
   */
  WRITE_DEADLINE_MS: "WRITE_DEADLINE_MS",
  /**
   * How often each task's reaper looks for account deletions that stopped part-way and finishes
   * them (service/src/account/reaper.ts). Default 300000 (5 min). Tests shorten it.
   */
  REAPER_PERIOD_MS: "REAPER_PERIOD_MS",
  /**
   * How long one run of a deletion (a DELETE /me or the reaper's) holds the tombstone's lease; it
   * works for at most half of it. Default 60000. REAPER_PERIOD_MS + 1.5 × this must stay within
   * 15 minutes: the longest a failed deletion waits to be finished.
   */
  DELETION_LEASE_MS: "DELETION_LEASE_MS",
  /** `decode` (gateway verified the signature) or `verify` (verify again, defense in depth). */
  AUTH_MODE: "AUTH_MODE",
  /** Optional JWKS URL override; default `<issuer>/.well-known/jwks.json`. */
  JWKS_URI: "JWKS_URI",
  /** Hard deadline for a graceful shutdown, below the task's stopTimeout. */
  SHUTDOWN_TIMEOUT_MS: "SHUTDOWN_TIMEOUT_MS",
  LOG_LEVEL: "LOG_LEVEL",
  /**
   * Comma-separated browser origins (stack config `corsAllowedOrigins`). API Gateway answers the
   * preflight, but an HTTP_PROXY integration passes the service's response through as is, so the
   * CORS headers of real responses must come from the service. Unset: no CORS headers.
   */
  CORS_ALLOWED_ORIGINS: "CORS_ALLOWED_ORIGINS",
  /**
   * The API Gateway stage name (stack `stageName`). Whether API Gateway sends `/<stage>/notes` or
   * `/notes` to the private integration is disputed, so the service routes `/<STAGE_NAME>/…` exactly
   * as `/…` and logs once which form it received. Unset: only unprefixed paths.
   */
  STAGE_NAME: "STAGE_NAME",
} as const;

export const SERVICE_PORT = 8080;
