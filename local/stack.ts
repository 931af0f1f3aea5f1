/**
 * startLocalStack: the whole request path offline, used by `npm run dev` and the e2e tests.
 * Steps: check the explicitly requested ports (a busy one fails before anything starts) →
 * DynamoDB Local (or the one given) + notes table → the SRP front (the user-pool endpoint) +
 * cognito-local behind it + pool/client/demo user → the service → the local gateway → outputs file
 * and amplify_outputs.json.
 * Port 0 is never probed and handed on (another process could take it before the part binds it):
 * the gateway and the SRP front listen on 0 in this process, the service child binds 0 and reports
 * its port over IPC; cognito-local and DynamoDB Local need their ports up front
 * (local/cognito/process.ts and local/dynamodb/process.ts say how they stay safe). The configured
 * cognito port is the SRP front's (local/cognito/srp-front.ts); cognito-local runs behind it on a
 * free port. `ports` and the outputs are the ports actually bound.
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
import { startSrpFront } from "./cognito/srp-front";
import { startDynamoDbLocal } from "./dynamodb/process";
import { fetchJwksOverHttp } from "../service/src/auth/signature";
import { createAuthorizer } from "./gateway/authorizer";
import { createDocsHandler } from "./gateway/docs";
import { startGateway, type GatewayLogEntry } from "./gateway/server";
import type { ThrottleSettings } from "./gateway/throttle";
import { LOCAL_HOST, reservePort } from "./ports";
import { startServiceProcess, type AuthMode } from "./service-process";
import {
  AMPLIFY_OUTPUTS_FILE_NAME,
  DEFAULT_POOL_NAME,
  DEFAULT_PORTS,
  DEFAULT_TABLE_NAME,
  LOCAL_STACK_REGION,
  LOCAL_STAGE_NAME,
  OUTPUTS_FILE_NAME,
  PORT_SETTINGS,
  SERVICE_ENTRY,
  type StackPorts,
} from "./settings";
import { ensureNotesTable, localDynamoClient } from "./table";

export interface LocalStackOptions {
  /** Everything the stack keeps: cognito-local state, DynamoDB Local's database, logs, outputs. */
  readonly dataDir: string;
  /** Ports; 0 = any free port. Defaults: gateway 3000, cognito 9229, service 8080, DynamoDB Local 8000. */
  readonly ports?: Partial<StackPorts>;
  /** Keep DynamoDB data on disk under dataDir (dev) or in memory (tests). Default true. */
  readonly persistData?: boolean;
  /**
   * A DynamoDB Local already running (the test run's one instance, test/setup/dynamodb-local.ts):
   * the stack uses it, with its own `tableName`, instead of starting another JVM.
   */
  readonly dynamoEndpoint?: string;
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
  /**
   * Allow USER_PASSWORD_AUTH on the app client (default true, as dev stacks). false = the shape of
   * prod: SRP and refresh only, and the user-pool endpoint refuses the password flow as Cognito does.
   */
  readonly passwordAuth?: boolean;
  readonly tableName?: string;
  /** Repository root (the service's cwd). Default: this file's grandparent. */
  readonly repoRoot?: string;
  readonly serviceEntry?: string;
  readonly logLevel?: string;
  /**
   * How often the service's reaper looks for unfinished account deletions (REAPER_PERIOD_MS; tests
   * shorten it). Default: the service's production value, as `npm run dev` runs.
   */
  readonly reaperPeriodMs?: number;
  readonly onServiceLog?: (line: string) => void;
  readonly onGatewayLog?: (entry: GatewayLogEntry) => void;
  /**
   * Tests: called right after a port was probed free (an explicitly requested port's early check,
   * or the port chosen for cognito-local) and before its part binds it, so a test can take the
   * port in that window and force the race a busy machine causes.
   */
  readonly afterPortProbe?: (part: keyof StackPorts, port: number) => void | Promise<void>;
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
  /** The ports the parts actually listen on (a requested 0 replaced by the bound port). */
  readonly ports: StackPorts;
  readonly pids: { readonly cognito: number; readonly service: number };
  /** The DynamoDB endpoint the service uses (this stack's DynamoDB Local, or the one it was given). */
  readonly dynamoEndpoint: string;
  readonly logDir: string;
  /** Whether the gateway sends the service stage-prefixed paths (`/local/notes`). */
  readonly stagePrefix: boolean;
  stop(): Promise<void>;
}

function mkdirP(dir: string): string {
  mkdirSync(dir, { recursive: true });
  return dir;
}

function readPrevious(file: string): PoolIds | undefined {
  try {
    const outputs = parseOutputs(JSON.parse(readFileSync(file, "utf8")), file);
    return { userPoolId: outputs.userPoolId, userPoolClientId: outputs.userPoolClientId };
  } catch {
    return undefined;
  }
}

/**
 * Every explicitly requested port must be free now, so `npm run dev -- --gateway-port 3000` with
 * 3000 busy fails before anything starts, naming the port and how to change it. (Taken between
 * this check and the bind, the part's own bind fails with the same PortBusyError.) 0 needs no check.
 */
async function checkRequestedPorts(requested: StackPorts, afterPortProbe: LocalStackOptions["afterPortProbe"]): Promise<void> {
  for (const part of Object.keys(PORT_SETTINGS) as Array<keyof StackPorts>) {
    if (requested[part] === 0) continue;
    await reservePort(requested[part], PORT_SETTINGS[part]);
    await afterPortProbe?.(part, requested[part]);
  }
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  const logDir = join(dataDir, "logs");
  const outputsFile = join(dataDir, OUTPUTS_FILE_NAME);
  const amplifyOutputsFile = join(dataDir, AMPLIFY_OUTPUTS_FILE_NAME);
  const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
  const region = LOCAL_STACK_REGION;
  mkdirSync(logDir, { recursive: true });

  const requested: StackPorts = { ...DEFAULT_PORTS, ...options.ports };
  // A DynamoDB given by endpoint needs no port of ours.
  await checkRequestedPorts(options.dynamoEndpoint ? { ...requested, dynamodb: 0 } : requested, options.afterPortProbe);
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async (): Promise<void> => {
    // Reverse order: gateway, service, cognito-local, DynamoDB Local.
    for (const stop of stops.reverse().splice(0)) await stop().catch(() => undefined);
  };

  try {
    const dynamo = options.dynamoEndpoint
      ? { endpoint: options.dynamoEndpoint, port: Number(new URL(options.dynamoEndpoint).port) }
      : await startDynamoDbLocal({
          dbPath: options.persistData === false ? undefined : mkdirP(join(dataDir, "dynamodb")),
          port: requested.dynamodb,
          setting: PORT_SETTINGS.dynamodb,
          logDir,
          afterPortProbe: options.afterPortProbe && ((port) => options.afterPortProbe?.("dynamodb", port)),
        }).then((started) => {
          stops.push(() => started.child.stop());
          return started;
        });
    const dynamoClient = localDynamoClient(dynamo.endpoint, region);
    await ensureNotesTable(dynamoClient, tableName);
    dynamoClient.destroy();

    const cognitoDir = join(dataDir, "cognito");
    mkdirSync(cognitoDir, { recursive: true });
    const afterPortProbe = options.afterPortProbe;
    // The user-pool endpoint is the SRP front (USER_SRP_AUTH; the rest passes through to cognito-local).
    const userPool = await startSrpFront({ port: requested.cognito, setting: PORT_SETTINGS.cognito, cognitoDir });
    stops.push(() => userPool.close());
    const cognito = await startCognitoLocal({
      dir: cognitoDir,
      port: 0,
      setting: PORT_SETTINGS.cognito,
      logDir,
      issuerDomain: `http://localhost:${userPool.port}`,
      afterPortProbe: afterPortProbe && ((port) => afterPortProbe("cognito", port)),
    });
    stops.push(() => cognito.child.stop());
    userPool.setUpstream(cognito.endpoint);
    const cognitoClient = localCognitoClient(cognito.endpoint, region);
    const pool = await bootstrapCognito(cognitoClient, DEFAULT_POOL_NAME, readPrevious(outputsFile), { passwordAuth: options.passwordAuth });
    cognitoClient.destroy();
    const issuer = `${cognito.issuerDomain}/${pool.userPoolId}`;
    const jwksUri = `${userPool.endpoint}/${pool.userPoolId}/.well-known/jwks.json`;

    const service = await startServiceProcess({
      repoRoot: options.repoRoot ?? resolve(__dirname, ".."),
      entry: options.serviceEntry ?? SERVICE_ENTRY,
      port: requested.service,
      setting: PORT_SETTINGS.service,
      tableName,
      region,
      dynamoEndpoint: dynamo.endpoint,
      issuer,
      clientId: pool.userPoolClientId,
      userPoolId: pool.userPoolId,
      cognitoEndpoint: userPool.endpoint,
      reaperPeriodMs: options.reaperPeriodMs,
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
      port: requested.gateway,
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
      userPoolEndpoint: userPool.endpoint,
    });
    const outputs: LocalOutputs = {
      apiUrl: gateway.url,
      region,
      userPoolId: pool.userPoolId,
      userPoolClientId: pool.userPoolClientId,
      issuer,
      tableName,
      amplifyOutputs,
      cognitoEndpoint: userPool.endpoint,
      serviceUrl: service.url,
    };
    writeFileSync(outputsFile, `${JSON.stringify(outputs, null, 2)}\n`);
    writeFileSync(amplifyOutputsFile, `${JSON.stringify(amplifyOutputs, null, 2)}\n`);

    return {
      outputs,
      outputsFile,
      amplifyOutputsFile,
      demoUser: DEMO_USER,
      created: pool.created,
      ports: { gateway: gateway.port, cognito: userPool.port, service: service.port, dynamodb: dynamo.port },
      pids: { cognito: cognito.child.pid, service: service.child.pid },
      dynamoEndpoint: dynamo.endpoint,
      logDir,
      stagePrefix: options.stagePrefix ?? false,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
