/**
 * `npm run dev`: the whole request path offline. Ports and paths from flags or env vars
 * (flags win): --gateway-port/GATEWAY_PORT (3000), --cognito-port/COGNITO_PORT (9229),
 * --service-port/SERVICE_PORT (8080), --dynamodb-port/DYNAMODB_PORT (8000), 0 = any free port;
 * --dynamodb-endpoint/LOCAL_DYNAMODB_ENDPOINT (a DynamoDB Local already running, e.g. in Docker:
 * used instead of starting one); --data-dir/LOCAL_DATA_DIR (.data); --authorizer-ttl/AUTHORIZER_TTL_SECONDS (300);
 * --auth-mode/AUTH_MODE (verify); --stage-prefix/LOCAL_STAGE_PREFIX=true (the gateway sends the
 * service `/local/notes` instead of `/notes`, the form API Gateway may use on a private integration);
 * --password-auth/LOCAL_PASSWORD_AUTH (true; false = prod's app client: USER_SRP_AUTH and refresh only);
 * LOCAL_SERVICE_ENTRY swaps the service entry file (tests).
 */
import { relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { login } from "../client/cognito-auth";
import { tokenTimeIso } from "../client/jwt";
import type { GatewayLogEntry } from "./gateway/server";
import { watchParent } from "./parent-watch";
import { JavaMissingError, requireJava } from "./dynamodb/java";
import { PortBusyError } from "./ports";
import type { AuthMode } from "./service-process";
import { LOCAL_STAGE_NAME, PORT_SETTINGS, type StackPorts } from "./settings";
import { startLocalStack, type LocalStack } from "./stack";

function intSetting(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined || raw === "") return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be an integer ${min}..${max}, got "${raw}"`);
  return value;
}

function boolSetting(name: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (raw === "true" || raw === "1") return true;
  if (raw === "false" || raw === "0") return false;
  throw new Error(`${name} must be true or false, got "${raw}"`);
}

function dynamoEndpointSetting(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (!URL.canParse(raw) || !/^https?:$/.test(new URL(raw).protocol)) {
    throw new Error(`--dynamodb-endpoint / LOCAL_DYNAMODB_ENDPOINT must be an http(s) URL, got "${raw}"`);
  }
  return raw;
}

function readSettings() {
  const { values } = parseArgs({
    options: {
      "gateway-port": { type: "string" },
      "cognito-port": { type: "string" },
      "service-port": { type: "string" },
      "dynamodb-port": { type: "string" },
      "dynamodb-endpoint": { type: "string" },
      "data-dir": { type: "string" },
      "authorizer-ttl": { type: "string" },
      "auth-mode": { type: "string" },
      "stage-prefix": { type: "boolean" },
      "password-auth": { type: "string" },
    },
  });
  const ports: { -readonly [K in keyof StackPorts]?: number } = {};
  for (const key of Object.keys(PORT_SETTINGS) as Array<keyof StackPorts>) {
    const setting = PORT_SETTINGS[key];
    const raw = (values as Record<string, string | undefined>)[setting.flag.slice(2)] ?? process.env[setting.env];
    const port = intSetting(`${setting.flag} / ${setting.env}`, raw, 0, 65535);
    if (port !== undefined) ports[key] = port;
  }
  const authMode = values["auth-mode"] ?? process.env.AUTH_MODE ?? "verify";
  if (authMode !== "verify" && authMode !== "decode") throw new Error(`--auth-mode / AUTH_MODE must be verify or decode, got "${authMode}"`);
  return {
    ports,
    dynamoEndpoint: dynamoEndpointSetting(values["dynamodb-endpoint"] ?? process.env.LOCAL_DYNAMODB_ENDPOINT),
    dataDir: resolve(values["data-dir"] ?? process.env.LOCAL_DATA_DIR ?? ".data"),
    authorizerTtlSeconds:
      intSetting("--authorizer-ttl / AUTHORIZER_TTL_SECONDS", values["authorizer-ttl"] ?? process.env.AUTHORIZER_TTL_SECONDS, 0, 3600) ?? 300,
    authMode: authMode as AuthMode,
    stagePrefix: values["stage-prefix"] ?? boolSetting("LOCAL_STAGE_PREFIX", process.env.LOCAL_STAGE_PREFIX) ?? false,
    passwordAuth: boolSetting("--password-auth / LOCAL_PASSWORD_AUTH", values["password-auth"] ?? process.env.LOCAL_PASSWORD_AUTH) ?? true,
    serviceEntry: process.env.LOCAL_SERVICE_ENTRY || undefined,
  };
}

function accessLog(entry: GatewayLogEntry): void {
  const deny = entry.denyReason ? ` (authorizer: ${entry.denyReason})` : "";
  process.stdout.write(`[gateway] ${entry.method} ${entry.path} ${entry.status} ${entry.ms}ms${deny} ${entry.requestId}\n`);
}

async function banner(stack: LocalStack, passwordAuth: boolean): Promise<string> {
  const o = stack.outputs;
  const rel = (p: string): string => relative(process.cwd(), p) || ".";
  const tokens = await login(o, stack.demoUser.email, stack.demoUser.password);
  return [
    "",
    `user-aware-api local stack is up (${stack.created ? "created pool, app client and demo user" : "reused the pool from the last run"})`,
    `  API (local gateway)    ${o.apiUrl}`,
    `  user pool (cognito)    ${o.cognitoEndpoint}  pool ${o.userPoolId}  client ${o.userPoolClientId}`,
    `  sign-in flows          USER_SRP_AUTH, refresh${passwordAuth ? ", USER_PASSWORD_AUTH" : " (prod's shape: no USER_PASSWORD_AUTH)"}`,
    `  issuer                 ${o.issuer}`,
    `  service (behind it)    ${o.serviceUrl}  (${stack.stagePrefix ? `the gateway sends /${LOCAL_STAGE_NAME}/… paths` : "the gateway sends paths unprefixed"})`,
    `  DynamoDB Local         ${stack.dynamoEndpoint}  table ${o.tableName}, data in ${rel(stack.outputsFile.replace(/outputs\.local\.json$/, "dynamodb"))}`,
    `  outputs                ${rel(stack.outputsFile)}`,
    `  app config (Amplify)   ${rel(stack.amplifyOutputsFile)}  (USER_SRP_AUTH + userPoolEndpoint, see docs/local.md)`,
    `  API docs               ${o.apiUrl}/docs  (OpenAPI 3.1: ${o.apiUrl}/openapi.json)`,
    `  logs                   ${rel(stack.logDir)}/`,
    "",
    `Demo user: ${stack.demoUser.email} / ${stack.demoUser.password}`,
    `Try it (this id token is valid until ${tokenTimeIso(tokens.expiresAt)}):`,
    `  curl -H "Authorization: ${tokens.idToken}" ${o.apiUrl}/me`,
    "Without a token it is refused at the gateway:",
    `  curl -i ${o.apiUrl}/me`,
    "Or with the CLI:",
    `  npm run cli -- login ${stack.demoUser.email} '${stack.demoUser.password}'`,
    `  npm run cli -- notes add "Hello" "my first note"`,
    "  npm run cli -- notes list",
    "",
    "Ctrl-C stops everything.",
    "",
  ].join("\n");
}

/**
 * A repeat signal within this window is the same stop request, not a second Ctrl-C: a terminal's
 * Ctrl-C reaches both npm and us, and npm forwards its copy too.
 */
const REPEAT_SIGNAL_WINDOW_MS = 1000;

async function main(): Promise<void> {
  const settings = readSettings();
  // Before anything starts: without Java there is no DynamoDB Local, so say what to install.
  if (settings.dynamoEndpoint === undefined) requireJava();
  let stack: LocalStack | undefined;
  let stoppingSince: number | undefined;
  const stopAndExit = async (running: LocalStack): Promise<never> => {
    await running.stop();
    process.stdout.write("stopped\n");
    process.exit(0);
  };
  const shutdown = (why: string): void => {
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < REPEAT_SIGNAL_WINDOW_MS) return;
      // A second Ctrl-C: exit now; the exit hook SIGKILLs the children.
      process.stdout.write("stopping now (children killed)\n");
      process.exit(130);
    }
    stoppingSince = Date.now();
    process.stdout.write(`\n${why}: stopping the local stack…\n`);
    // Still starting: main() stops the stack as soon as it is up.
    if (stack) void stopAndExit(stack);
  };
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => shutdown(signal));
  // A closed terminal (SIGHUP, a launcher gone) must not cut the stop short with an EPIPE/EIO.
  for (const stream of [process.stdout, process.stderr]) stream.on("error", () => undefined);
  // The launcher killed by a signal it does not pass on (SIGHUP, SIGKILL): nobody else would stop us.
  watchParent((pid) => shutdown(`the launcher (pid ${pid}) exited`));

  process.stdout.write("starting cognito-local, DynamoDB Local, the service and the local gateway…\n");
  stack = await startLocalStack({ ...settings, persistData: true, onGatewayLog: accessLog });
  if (stoppingSince !== undefined) await stopAndExit(stack);
  const text = await banner(stack, settings.passwordAuth);
  if (stoppingSince === undefined) process.stdout.write(text);
}

main().catch((err: unknown) => {
  const message =
    err instanceof PortBusyError || err instanceof JavaMissingError ? err.message : err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`npm run dev failed: ${message}\n`);
  process.exit(1);
});
