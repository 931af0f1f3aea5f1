/**
 * cognito-local as a child process. Its state lives in `<cwd>/.cognito/`; the port comes from
 * env PORT. The issuer it signs with is `TokenConfig.IssuerDomain` + "/" + poolId, which we
 * pin in `.cognito/config.json` to `http://localhost:<port>` on every start, so tokens carry
 * the same `iss` whatever port was chosen (its default derives it from HOST and PORT).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { startChild, type RunningChild } from "../children";
import { LOCAL_HOST } from "../ports";
import { waitForHttp } from "../wait";

export interface CognitoLocalOptions {
  /** cognito-local's working directory; state goes to `<dir>/.cognito/`. */
  readonly dir: string;
  readonly port: number;
  readonly logDir: string;
}

export interface CognitoLocal {
  readonly child: RunningChild;
  /** Endpoint for the AWS SDK (`endpoint:`), e.g. http://localhost:9229 */
  readonly endpoint: string;
  /** Issuer domain; a pool's issuer is `${issuerDomain}/${poolId}`. */
  readonly issuerDomain: string;
}

const COGNITO_LOCAL_START = require.resolve("cognito-local/lib/bin/start.js");

function pinIssuerDomain(dir: string, issuerDomain: string): void {
  const configDir = join(dir, ".cognito");
  mkdirSync(configDir, { recursive: true });
  const file = join(configDir, "config.json");
  let config: Record<string, unknown> = {};
  try {
    config = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    // First run.
  }
  const tokenConfig = (typeof config.TokenConfig === "object" && config.TokenConfig) || {};
  config.TokenConfig = { ...tokenConfig, IssuerDomain: issuerDomain };
  writeFileSync(file, JSON.stringify(config, null, 2) + "\n");
}

export async function startCognitoLocal(options: CognitoLocalOptions): Promise<CognitoLocal> {
  const issuerDomain = `http://localhost:${options.port}`;
  pinIssuerDomain(options.dir, issuerDomain);
  const child = startChild({
    name: "cognito-local",
    nodeArgs: [COGNITO_LOCAL_START],
    cwd: options.dir,
    env: { ...process.env, PORT: String(options.port), HOST: LOCAL_HOST, NODE_NO_WARNINGS: "1" },
    logFile: join(options.logDir, "cognito-local.log"),
  });
  const endpoint = `http://${LOCAL_HOST}:${options.port}`;
  try {
    await waitForHttp(`${endpoint}/health`, child);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { child, endpoint, issuerDomain };
}
