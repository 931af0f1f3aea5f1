/**
 * cognito-local as a child process. Its state lives in `<cwd>/.cognito/`; the port comes from
 * env PORT. The issuer it signs with is `TokenConfig.IssuerDomain` + "/" + poolId, which we
 * pin in `.cognito/config.json` to `http://localhost:<port>` on every start (or to the domain
 * given: the local stack's SRP front, which apps reach instead), so tokens carry the same `iss`
 * whatever port was chosen (its default derives it from HOST and PORT).
 *
 * Because the issuer must name the port before cognito-local starts, port 0 cannot be left to
 * the kernel at bind time as the other parts do: a free port is probed, and another process may
 * take it before cognito-local binds it (a listen elsewhere, or just an outgoing connection's
 * ephemeral source port). So the child's answer counts only once cognito-local itself has said
 * it listens on that port (its "Cognito Local running on …" line, printed by its listen
 * callback); until then nothing is polled, so another process answering on the port is never
 * taken for ours. A child that lost the race exits with EADDRINUSE and the start is retried on a
 * fresh port, a bounded number of times.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";
import { startChild, type RunningChild } from "../children";
import { LOCAL_HOST, type PortSetting, startOnProbedPort } from "../ports";
import { ChildExitedError, waitForHttp, waitForReport } from "../wait";

export interface CognitoLocalOptions {
  /** cognito-local's working directory; state goes to `<dir>/.cognito/`. */
  readonly dir: string;
  /** 0 = any free port (probed; a lost race is retried on a fresh one). */
  readonly port: number;
  /** How the user changes the port (named when an explicit port is busy). */
  readonly setting: PortSetting;
  readonly logDir: string;
  /**
   * Tests: called with the port probed for an attempt (port 0 only), before cognito-local binds
   * it, so a test can take the port in that window and force the race.
   */
  readonly afterPortProbe?: (port: number) => void | Promise<void>;
  /**
   * The issuer's domain, when cognito-local is reached through another endpoint (the local stack's
   * SRP front); default `http://localhost:<its own port>`.
   */
  readonly issuerDomain?: string;
  /** Ports to try when `port` is 0. Default COGNITO_PORT_ATTEMPTS. */
  readonly portAttempts?: number;
}

export interface CognitoLocal {
  readonly child: RunningChild;
  /** The port cognito-local listens on. */
  readonly port: number;
  /** Endpoint for the AWS SDK (`endpoint:`), e.g. http://localhost:9229 */
  readonly endpoint: string;
  /** Issuer domain; a pool's issuer is `${issuerDomain}/${poolId}`. */
  readonly issuerDomain: string;
}

const COGNITO_LOCAL_START = require.resolve("cognito-local/lib/bin/start.js");
/** Starts on a fresh port after a lost race; losing five in a row means something else is wrong. */
export const COGNITO_PORT_ATTEMPTS = 5;
const START_TIMEOUT_MS = 20_000;
/** cognito-local's line once it listens (lib/bin/start.js), e.g. `Cognito Local running on http://127.0.0.1:9229`. */
const RUNNING_LINE = /Cognito Local running on https?:\/\/\S+:(\d+)/;

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
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
}

export function startCognitoLocal(options: CognitoLocalOptions): Promise<CognitoLocal> {
  return startOnProbedPort({
    name: "cognito-local",
    port: options.port,
    setting: options.setting,
    attempts: options.portAttempts ?? COGNITO_PORT_ATTEMPTS,
    afterPortProbe: options.afterPortProbe,
    startOn: (port) => startOn(port, options),
    lostPort: (err) => err instanceof ChildExitedError && err.addressInUse,
  });
}

/** One start on `port`; rejects with ChildExitedError (addressInUse) if another process has it. */
async function startOn(port: number, options: CognitoLocalOptions): Promise<CognitoLocal> {
  const issuerDomain = options.issuerDomain ?? `http://localhost:${port}`;
  pinIssuerDomain(options.dir, issuerDomain);
  let announce: (port: number) => void = () => undefined;
  const announced = new Promise<number>((resolve) => (announce = resolve));
  const child = startChild({
    name: "cognito-local",
    nodeArgs: [COGNITO_LOCAL_START],
    cwd: options.dir,
    env: { ...process.env, PORT: String(port), HOST: LOCAL_HOST, NODE_NO_WARNINGS: "1" },
    logFile: join(options.logDir, "cognito-local.log"),
    onLine: (line) => {
      // pino-pretty colours the line.
      const match = RUNNING_LINE.exec(stripVTControlCharacters(line));
      if (match) announce(Number(match[1]));
    },
  });
  const endpoint = `http://${LOCAL_HOST}:${port}`;
  const startedAt = Date.now();
  try {
    const bound = await waitForReport(announced, child, "it said it was listening", START_TIMEOUT_MS);
    if (bound !== port) throw new Error(`cognito-local: started for port ${port}, says it listens on ${bound}`);
    // Ours now holds the port, so whatever answers there is this child.
    await waitForHttp(`${endpoint}/health`, child, Math.max(1_000, START_TIMEOUT_MS - (Date.now() - startedAt)));
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { child, port, endpoint, issuerDomain };
}
