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
   * No DynamoDB write is sent later than this after the request checked the account's tombstone
   * (a later one fails 503). Part of DELETE /me's fence; see service/src/account/timing.ts before
   * changing it. Default 3000. Every task of a deployment must use the same value.
   */
  WRITE_DEADLINE_MS: "WRITE_DEADLINE_MS",
  /**
   * How long a write the service stopped waiting for may still land, plus clock skew between
   * tasks: the rest of DELETE /me's fence. Default 5000. Lower it only in tests.
   */
  WRITE_IN_FLIGHT_MARGIN_MS: "WRITE_IN_FLIGHT_MARGIN_MS",
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
