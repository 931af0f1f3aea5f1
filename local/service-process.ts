/**
 * The Hono service as a child process, configured through contract/service-env.ts names. It binds
 * its port itself (PORT=0: any free port) and reports the port it bound over the IPC channel
 * (contract/listening-message.ts): no port is probed first, so no other process can take it in
 * between, and the health check can only reach this child.
 */
import { join } from "node:path";
import { isListeningMessage } from "../contract/listening-message";
import { serviceEnv } from "../contract/service-env";
import { startChild, type RunningChild } from "./children";
import { LOCAL_HOST, PortBusyError, type PortSetting } from "./ports";
import { ChildExitedError, waitForHttp, waitForReport } from "./wait";

export type AuthMode = "decode" | "verify";

export interface ServiceProcessOptions {
  readonly repoRoot: string;
  /** Entry file relative to repoRoot. */
  readonly entry: string;
  /** 0 = any free port, which the service picks when it binds. */
  readonly port: number;
  /** How the user changes the port (named when an explicit port is busy). */
  readonly setting: PortSetting;
  readonly tableName: string;
  readonly region: string;
  readonly dynamoEndpoint: string;
  readonly issuer: string;
  readonly clientId: string;
  /** DELETE /me deletes users of this pool, through cognito-local at this endpoint. */
  readonly userPoolId: string;
  readonly cognitoEndpoint: string;
  /** The reaper's period (service REAPER_PERIOD_MS); unset: the production value. */
  readonly reaperPeriodMs?: number;
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
  /** The port the child bound (as it reported it). */
  readonly port: number;
}

/** Start to ready (the service compiles its TypeScript through tsx on a cold start). */
const START_TIMEOUT_MS = 30_000;

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
    [serviceEnv.REAPER_PERIOD_MS]: options.reaperPeriodMs === undefined ? undefined : String(options.reaperPeriodMs),
    [serviceEnv.AUTH_MODE]: options.authMode,
    [serviceEnv.JWKS_URI]: options.jwksUri,
    [serviceEnv.LOG_LEVEL]: options.logLevel,
    [serviceEnv.STAGE_NAME]: options.stageName,
    // DynamoDB Local and cognito-local accept any credentials; never let the SDK look for real ones (or wait on IMDS).
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
  // Listen before anything can arrive: a message nobody listens for is dropped.
  const listening = child.nextMessage(isListeningMessage);
  const startedAt = Date.now();
  try {
    const { port } = await waitForReport(listening, child, "it reported its port", START_TIMEOUT_MS);
    if (options.port !== 0 && port !== options.port) throw new Error(`service: asked to listen on ${options.port}, reported ${port}`);
    const url = `http://${LOCAL_HOST}:${port}`;
    // Bound is not ready (verify mode may still be loading the JWKS): wait for /health 200.
    await waitForHttp(`${url}/health`, child, Math.max(1_000, START_TIMEOUT_MS - (Date.now() - startedAt)));
    return { child, url, port };
  } catch (err) {
    await child.stop();
    // An explicit port taken after the early check: the same clear error as that check gives.
    if (err instanceof ChildExitedError && err.addressInUse && options.port !== 0) throw new PortBusyError(options.port, options.setting);
    throw err;
  }
}
