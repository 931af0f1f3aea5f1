/**
 * The service process: the only file that reads the environment, listens and handles signals.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { serve } from "@hono/node-server";
import pino from "pino";
import { createApp } from "./app";
import { acceptedIssuers } from "./auth/issuers";
import { JwksSignatureVerifier } from "./auth/signature";
import { ConfigError, parseServiceConfig } from "./config";
import { DynamoNoteStore } from "./notes/dynamo-store";

async function main(): Promise<void> {
  const config = parseServiceConfig(process.env);
  const logger = pino({ level: config.LOG_LEVEL, base: undefined });
  const issuers = acceptedIssuers(config.COGNITO_ISSUER);
  const signature =
    config.AUTH_MODE === "verify"
      ? new JwksSignatureVerifier({
          issuers,
          clientId: config.COGNITO_CLIENT_ID,
          jwksUri: config.JWKS_URI ?? `${config.COGNITO_ISSUER.replace(/\/+$/, "")}/.well-known/jwks.json`,
        })
      : null;
  if (signature) await signature.load();

  const dynamo = new DynamoDBClient({
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
    maxAttempts: 2,
    ...(config.DYNAMODB_ENDPOINT ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
  });
  const store = new DynamoNoteStore(DynamoDBDocumentClient.from(dynamo), config.TABLE_NAME);

  let draining = false;
  const app = createApp({
    store,
    auth: { issuers, clientId: config.COGNITO_CLIENT_ID, signature },
    logger,
    readiness: { isReady: () => !draining },
  });
  const server = serve({ fetch: app.fetch, port: config.PORT }, (info) => {
    logger.info({ port: info.port, authMode: config.AUTH_MODE }, "ready");
  });

  process.once("SIGTERM", () => {
    draining = true;
    server.close(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  const message = err instanceof ConfigError ? err.message : `Startup failed: ${err instanceof Error ? err.message : String(err)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
