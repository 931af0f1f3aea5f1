/** The Hono service as a child process, configured through contract/service-env.ts names. */
import { join } from "node:path";
import { serviceEnv } from "../contract/service-env";
import { startChild, type RunningChild } from "./children";
import { LOCAL_HOST } from "./ports";
import { waitForHttp } from "./wait";

export type AuthMode = "decode" | "verify";

export interface ServiceProcessOptions {
  readonly repoRoot: string;
  /** Entry file relative to repoRoot. */
  readonly entry: string;
  readonly port: number;
  readonly tableName: string;
  readonly region: string;
  readonly dynamoEndpoint: string;
  readonly issuer: string;
  readonly clientId: string;
  /** DELETE /me deletes users of this pool, through cognito-local at this endpoint. */
  readonly userPoolId: string;
  readonly cognitoEndpoint: string;
  /** DELETE /me's fence (service WRITE_DEADLINE_MS / WRITE_IN_FLIGHT_MARGIN_MS); unset: production values. */
  readonly writeTiming?: { readonly writeDeadlineMs: number; readonly inFlightMarginMs: number };
  readonly jwksUri: string;
  readonly authMode: AuthMode;
  readonly logLevel: string;
  /** STAGE_NAME: the service routes `/<stageName>/…` as `/…`. */
  readonly stageName: string;
  readonly logDir: string;
  readonly onLine?: (line: string) => void;
}

export interface ServiceProcess {
  readonly child: RunningChild;
  readonly url: string;
}

export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    [serviceEnv.PORT]: String(options.port),
    // Loopback only, like every other part of the local stack: reached through the gateway.
    [serviceEnv.LISTEN_HOST]: LOCAL_HOST,
    [serviceEnv.TABLE_NAME]: options.tableName,
    [serviceEnv.AWS_REGION]: options.region,
    [serviceEnv.DYNAMODB_ENDPOINT]: options.dynamoEndpoint,
    [serviceEnv.COGNITO_ISSUER]: options.issuer,
    [serviceEnv.COGNITO_CLIENT_ID]: options.clientId,
    [serviceEnv.COGNITO_USER_POOL_ID]: options.userPoolId,
    [serviceEnv.COGNITO_ENDPOINT]: options.cognitoEndpoint,
    [serviceEnv.WRITE_DEADLINE_MS]: options.writeTiming ? String(options.writeTiming.writeDeadlineMs) : undefined,
    [serviceEnv.WRITE_IN_FLIGHT_MARGIN_MS]: options.writeTiming ? String(options.writeTiming.inFlightMarginMs) : undefined,
    [serviceEnv.AUTH_MODE]: options.authMode,
    [serviceEnv.JWKS_URI]: options.jwksUri,
    [serviceEnv.LOG_LEVEL]: options.logLevel,
    [serviceEnv.STAGE_NAME]: options.stageName,
    // dynalite and cognito-local accept any credentials; never let the SDK look for real ones (or wait on IMDS).
    AWS_ACCESS_KEY_ID: "local",
    AWS_SECRET_ACCESS_KEY: "local",
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    NODE_ENV: process.env.NODE_ENV === "test" ? "test" : "development",
  };
  const child = startChild({
    name: "service",
    nodeArgs: ["--import", "tsx", options.entry],
    cwd: options.repoRoot,
    env,
    logFile: join(options.logDir, "service.log"),
    onLine: options.onLine,
  });
  const url = `http://${LOCAL_HOST}:${options.port}`;
  try {
    await waitForHttp(`${url}/health`, child, 30_000);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { child, url };
}
