import type { Hono } from "hono";
import { dynamoAccount } from "../account/account";
import { DeletionReaper } from "../account/reaper";
import { productionTiming } from "../account/timing";
import { CognitoUserDirectory } from "../account/user-directory";
import type { AppEnv } from "../app-env";
import { createApp } from "../app";
import { acceptedIssuers } from "../auth/issuers";
import { JwksSignatureVerifier } from "../auth/signature";
import { systemClock } from "../clock";
import { defaultJwksUri, type ServiceConfig } from "../config";
import type { Logger } from "../logger";
import { awsCredentialChain, staticCredentials } from "../dynamo/credentials";
import { DynamoTransport } from "../dynamo/transport";
import { DynamoNoteStore } from "../notes/dynamo-store";
import { JwksLoader, type JwksLoaderOptions } from "./jwks-loader";
import { ServiceReadiness } from "./readiness";

export interface ComposeOptions {
  /** Retry timing of the background JWKS loader (tests shorten it). */
  readonly jwksRetry?: Omit<JwksLoaderOptions, "onLoaded">;
  /** Called when the service becomes ready after not being ready at start. */
  readonly onReady?: () => void;
}

/** The service put together from its config, before anything listens. */
export interface ComposedService {
  readonly app: Hono<AppEnv>;
  readonly readiness: ServiceReadiness;
  /** Null in decode mode. */
  readonly jwks: JwksLoader | null;
  /** Finishes unfinished account deletions in the background; `start()` it once the service listens. */
  readonly reaper: DeletionReaper;
  /** Release clients and timers (at shutdown). */
  close(): void;
}

/** config → dependencies → app. No I/O here: the JWKS loads when `jwks.start()` is called. */
export function composeService(config: ServiceConfig, logger: Logger, options: ComposeOptions = {}): ComposedService {
  const issuers = acceptedIssuers(config.COGNITO_ISSUER);
  // For a Cognito pool the keys are published under the regional issuer (issuers[0]).
  const jwksUri = config.JWKS_URI ?? defaultJwksUri(issuers[0] as string);
  const signature = config.AUTH_MODE === "verify" ? new JwksSignatureVerifier({ issuers, clientId: config.COGNITO_CLIENT_ID, jwksUri }) : null;
  const jwks = signature ? new JwksLoader(signature, logger, { ...options.jwksRetry, onLoaded: options.onReady }) : null;
  const readiness = new ServiceReadiness(signature ? [signature] : []);

  const dynamo = new DynamoTransport({
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
    // A local endpoint (DynamoDB Local) needs some credentials but checks none; on ECS, the task role's.
    credentials: config.DYNAMODB_ENDPOINT ? staticCredentials({ accessKeyId: "local", secretAccessKey: "local" }) : awsCredentialChain(),
    // One retry: a request waiting on DynamoDB should fail fast into a 503, not outlive the gateway's 29 s.
    maxAttempts: 2,
    // Without these a black-holed endpoint holds a request for minutes: 1 s to connect, 5 s per
    // attempt, so two attempts end well inside the gateway's 29 s.
    connectTimeoutMs: 1_000,
    requestTimeoutMs: 5_000,
  });
  const timing = { ...productionTiming, writeDeadlineMs: config.WRITE_DEADLINE_MS, leaseMs: config.DELETION_LEASE_MS };
  const store = new DynamoNoteStore(dynamo, config.TABLE_NAME, { writeDeadlineMs: timing.writeDeadlineMs });

  // DELETE /me's AdminDeleteUser. Each attempt is cut at 3 s, and every call also carries the
  // deletion's budget signal (account/timing.ts): it cannot hold the request near the gateway's 29 s.
  const users = new CognitoUserDirectory(
    (sdk) =>
      new sdk.CognitoIdentityProviderClient({
        region: config.AWS_REGION,
        endpoint: config.COGNITO_ENDPOINT,
        maxAttempts: 2,
        requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
        // cognito-local accepts any credentials; the task role signs the real calls.
        ...(config.COGNITO_ENDPOINT ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
      }),
    config.COGNITO_USER_POOL_ID,
  );
  const account = dynamoAccount({
    client: dynamo,
    tableName: config.TABLE_NAME,
    users,
    clock: systemClock,
    logger,
    timing,
  });
  const reaper = new DeletionReaper({
    deletion: account.deletion,
    tombstones: account.tombstones,
    clock: systemClock,
    logger,
    periodMs: config.REAPER_PERIOD_MS,
  });

  const app = createApp({
    store,
    account,
    auth: { issuers, clientId: config.COGNITO_CLIENT_ID, signature },
    logger,
    readiness,
    corsAllowedOrigins: config.CORS_ALLOWED_ORIGINS,
    stageName: config.STAGE_NAME,
  });
  return {
    app,
    readiness,
    jwks,
    reaper,
    close() {
      jwks?.stop();
      // A deletion under way stops at its next call; its lease expires and another look finishes it.
      void reaper.stop();
      dynamo.destroy();
      users.destroy();
    },
  };
}
