import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Hono } from "hono";
import type { AppEnv } from "../app-env";
import { createApp } from "../app";
import { acceptedIssuers } from "../auth/issuers";
import { JwksSignatureVerifier } from "../auth/signature";
import { defaultJwksUri, type ServiceConfig } from "../config";
import type { Logger } from "../logger";
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
  /** Release clients and timers (at shutdown). */
  close(): void;
}

/** config → dependencies → app. No I/O here: the JWKS loads when `jwks.start()` is called. */
export function composeService(config: ServiceConfig, logger: Logger, options: ComposeOptions = {}): ComposedService {
  const issuers = acceptedIssuers(config.COGNITO_ISSUER);
  // For a Cognito pool the keys are published under the regional issuer (issuers[0]).
  const jwksUri = config.JWKS_URI ?? defaultJwksUri(issuers[0] as string);
  const signature =
    config.AUTH_MODE === "verify"
      ? new JwksSignatureVerifier({ issuers, clientId: config.COGNITO_CLIENT_ID, jwksUri })
      : null;
  const jwks = signature ? new JwksLoader(signature, logger, { ...options.jwksRetry, onLoaded: options.onReady }) : null;
  const readiness = new ServiceReadiness(signature ? [signature] : []);

  const dynamo = new DynamoDBClient({
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
    // One retry: a request waiting on DynamoDB should fail fast into a 503, not outlive the gateway's 29 s.
    maxAttempts: 2,
    // Without these a black-holed endpoint holds a request for minutes (the SDK's socket default):
    // 1 s to connect, 5 s per attempt, so two attempts end well inside the gateway's 29 s.
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 5_000, throwOnRequestTimeout: true },
    // A local endpoint (dynalite) needs some credentials but checks none.
    ...(config.DYNAMODB_ENDPOINT ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
  });
  const store = new DynamoNoteStore(DynamoDBDocumentClient.from(dynamo), config.TABLE_NAME);

  const app = createApp({
    store,
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
    close() {
      jwks?.stop();
      dynamo.destroy();
    },
  };
}
