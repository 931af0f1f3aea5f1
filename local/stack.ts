/**
 * startLocalStack: the whole request path offline, used by `npm run dev` and the e2e tests.
 * Steps: reserve ports (a busy one fails before anything starts) → dynalite + notes table →
 * cognito-local + pool/client/demo user → the service → the local gateway → outputs file and
 * amplify_outputs.json.
 * A failure at any step stops what was already started.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseOutputs, type StackOutputs } from "../client/outputs";
import { amplifyOutputsFor, type AmplifyOutputs } from "../contract/amplify-outputs";
import { buildOpenApiDocument } from "../contract/openapi/document";
import { LOCAL_MFA } from "../contract/user-pool";
import { bootstrapCognito, DEMO_USER, type DemoUser, type PoolIds } from "./cognito/bootstrap";
import { localCognitoClient } from "./cognito/client";
import { startCognitoLocal } from "./cognito/process";
import { startDynalite } from "./dynalite";
import { fetchJwksOverHttp } from "../service/src/auth/signature";
import { createAuthorizer } from "./gateway/authorizer";
import { createDocsHandler } from "./gateway/docs";
import { startGateway, type GatewayLogEntry } from "./gateway/server";
import type { ThrottleSettings } from "./gateway/throttle";
import { LOCAL_HOST, reservePort } from "./ports";
import { startServiceProcess, type AuthMode } from "./service-process";
import { AMPLIFY_OUTPUTS_FILE_NAME, DEFAULT_POOL_NAME, DEFAULT_PORTS, DEFAULT_TABLE_NAME, LOCAL_STACK_REGION, LOCAL_STAGE_NAME, OUTPUTS_FILE_NAME, PORT_SETTINGS, SERVICE_ENTRY, type StackPorts } from "./settings";
import { ensureNotesTable, localDynamoClient } from "./table";

export interface LocalStackOptions {
  /** Everything the stack keeps: cognito-local state, dynalite files, logs, outputs. */
  readonly dataDir: string;
  /** Ports; 0 = any free port. Defaults: gateway 3000, cognito 9229, service 8080, dynalite 4567. */
  readonly ports?: Partial<StackPorts>;
  /** Keep DynamoDB data on disk under dataDir (dev) or in memory (tests). Default true. */
  readonly persistData?: boolean;
  /** Authorizer result cache TTL, 0..3600 s. Default 300, as API Gateway. */
  readonly authorizerTtlSeconds?: number;
  /** The service's AUTH_MODE. Default verify (defense in depth, as prod). */
  readonly authMode?: AuthMode;
  readonly throttle?: ThrottleSettings;
  /**
   * The gateway sends the service `/local/notes` instead of `/notes` (the stage-prefixed form AWS's
   * private-integration docs describe); the service accepts both. Default false.
   */
  readonly stagePrefix?: boolean;
  readonly tableName?: string;
  /** Repository root (the service's cwd). Default: this file's grandparent. */
  readonly repoRoot?: string;
  readonly serviceEntry?: string;
  readonly logLevel?: string;
  /**
   * DELETE /me's fence timing for the service (tests shorten it so a deletion takes seconds, not
   * the production 8 s). Default: the service's production values, as `npm run dev` runs.
   */
  readonly writeTiming?: { readonly writeDeadlineMs: number; readonly inFlightMarginMs: number };
  readonly onServiceLog?: (line: string) => void;
  readonly onGatewayLog?: (entry: GatewayLogEntry) => void;
}

/** Outputs of the local stack: the deployed keys (with `amplifyOutputs`) plus the two local-only ones. */
export type LocalOutputs = StackOutputs & { cognitoEndpoint: string; serviceUrl: string; amplifyOutputs: AmplifyOutputs };

export interface LocalStack {
  readonly outputs: LocalOutputs;
  readonly outputsFile: string;
  /** The app's Amplify config for this stack (also the outputs' `amplifyOutputs`). */
  readonly amplifyOutputsFile: string;
  readonly demoUser: DemoUser;
  /** True when the pool and client were created by this start (first run). */
  readonly created: boolean;
  readonly ports: StackPorts;
  readonly pids: { readonly cognito: number; readonly service: number };
  readonly logDir: string;
  /** Whether the gateway sends the service stage-prefixed paths (`/local/notes`). */
  readonly stagePrefix: boolean;
  stop(): Promise<void>;
}

function readPrevious(file: string): PoolIds | undefined {
  try {
    const outputs = parseOutputs(JSON.parse(readFileSync(file, "utf8")), file);
    return { userPoolId: outputs.userPoolId, userPoolClientId: outputs.userPoolClientId };
  } catch {
    return undefined;
  }
}

async function reserveAll(requested: StackPorts): Promise<StackPorts> {
  return {
    gateway: await reservePort(requested.gateway, PORT_SETTINGS.gateway),
    cognito: await reservePort(requested.cognito, PORT_SETTINGS.cognito),
    service: await reservePort(requested.service, PORT_SETTINGS.service),
    dynalite: await reservePort(requested.dynalite, PORT_SETTINGS.dynalite),
  };
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  const logDir = join(dataDir, "logs");
  const outputsFile = join(dataDir, OUTPUTS_FILE_NAME);
  const amplifyOutputsFile = join(dataDir, AMPLIFY_OUTPUTS_FILE_NAME);
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  const region = LOCAL_STACK_REGION;
  mkdirSync(logDir, { recursive: true });

  const ports = await reserveAll({ ...DEFAULT_PORTS, ...options.ports });
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async (): Promise<void> => {
    // Reverse order: gateway, service, cognito-local, dynalite.
    for (const stop of stops.reverse().splice(0)) await stop().catch(() => undefined);
  };

  try {
    const dynamo = await startDynalite({
      path: options.persistData === false ? undefined : join(dataDir, "dynalite"),
      port: ports.dynalite,
      host: LOCAL_HOST,
      setting: PORT_SETTINGS.dynalite,
    });
    stops.push(() => dynamo.close());
    const dynamoClient = localDynamoClient(dynamo.endpoint, region);
    await ensureNotesTable(dynamoClient, tableName);
    dynamoClient.destroy();

    const cognitoDir = join(dataDir, "cognito");
    mkdirSync(cognitoDir, { recursive: true });
    const cognito = await startCognitoLocal({ dir: cognitoDir, port: ports.cognito, logDir });
    stops.push(() => cognito.child.stop());
    const cognitoClient = localCognitoClient(cognito.endpoint, region);
    const pool = await bootstrapCognito(cognitoClient, DEFAULT_POOL_NAME, readPrevious(outputsFile));
    cognitoClient.destroy();
    const issuer = `${cognito.issuerDomain}/${pool.userPoolId}`;
    const jwksUri = `${cognito.endpoint}/${pool.userPoolId}/.well-known/jwks.json`;

    const service = await startServiceProcess({
      repoRoot: options.repoRoot ?? resolve(__dirname, ".."),
      entry: options.serviceEntry ?? SERVICE_ENTRY,
      port: ports.service,
      tableName,
      region,
      dynamoEndpoint: dynamo.endpoint,
      issuer,
      clientId: pool.userPoolClientId,
      userPoolId: pool.userPoolId,
      cognitoEndpoint: cognito.endpoint,
      writeTiming: options.writeTiming,
      jwksUri,
      authMode: options.authMode ?? "verify",
      logLevel: options.logLevel ?? "info",
      stageName: LOCAL_STAGE_NAME,
      logDir,
      onLine: options.onServiceLog,
    });
    stops.push(() => service.child.stop());

    const authorizer = createAuthorizer({
      issuer,
      clientId: pool.userPoolClientId,
      jwks: await fetchJwksOverHttp(jwksUri, 5_000),
      ttlSeconds: options.authorizerTtlSeconds ?? 300,
    });
    const gateway = await startGateway({
      serviceUrl: service.url,
      authorizer,
      throttle: options.throttle,
      stagePrefix: options.stagePrefix ? LOCAL_STAGE_NAME : undefined,
      log: options.onGatewayLog,
      docs: createDocsHandler(buildOpenApiDocument()),
      port: ports.gateway,
      host: LOCAL_HOST,
      setting: PORT_SETTINGS.gateway,
    });
    stops.push(() => gateway.close());

    const amplifyOutputs = amplifyOutputsFor({
      region,
      userPoolId: pool.userPoolId,
      userPoolClientId: pool.userPoolClientId,
      apiUrl: gateway.url,
      mfa: LOCAL_MFA,
      userPoolEndpoint: cognito.endpoint,
    });
    const outputs: LocalOutputs = {
      apiUrl: gateway.url,
      region,
      userPoolId: pool.userPoolId,
      userPoolClientId: pool.userPoolClientId,
      issuer,
      tableName,
      amplifyOutputs,
      cognitoEndpoint: cognito.endpoint,
      serviceUrl: service.url,
    };
    writeFileSync(outputsFile, JSON.stringify(outputs, null, 2) + "\n");
    writeFileSync(amplifyOutputsFile, JSON.stringify(amplifyOutputs, null, 2) + "\n");

    return {
      outputs,
      outputsFile,
      amplifyOutputsFile,
      demoUser: DEMO_USER,
      created: pool.created,
      ports,
      pids: { cognito: cognito.child.pid, service: service.child.pid },
      logDir,
      stagePrefix: options.stagePrefix ?? false,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
