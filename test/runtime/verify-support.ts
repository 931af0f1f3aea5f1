/** A JWKS endpoint and a cognito-local user pool for the verify-mode tests. */
import { mkdtempSync, rmSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import {
  AdminConfirmSignUpCommand,
  CognitoIdentityProviderClient,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
  SignUpCommand,
} from "@aws-sdk/client-cognito-identity-provider";
import type { RunningChild } from "../../local/children";
import { startCognitoLocal } from "../../local/cognito/process";
import { PORT_SETTINGS } from "../../local/settings";
import type { Logger } from "../../service/src/logger";

export interface JwksServer {
  readonly uri: string;
  /** GET requests served so far (to see refetches). */
  hits(): number;
  /** When false the endpoint answers 503, as a JWKS that cannot be fetched. */
  setAvailable(available: boolean): void;
  close(): Promise<void>;
}

export async function startJwksServer(keys: readonly Record<string, unknown>[], available = true): Promise<JwksServer> {
  let hits = 0;
  let up = available;
  const server = http.createServer((_req, res) => {
    hits++;
    if (!up) {
      res.writeHead(503).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    uri: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    hits: () => hits,
    setAvailable: (a) => (up = a),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A logger that keeps what it is given, to read reasons and log lines back. */
export function recordingLogger(): Logger & { entries: { level: string; obj: Record<string, unknown>; msg: string | undefined }[] } {
  const entries: { level: string; obj: Record<string, unknown>; msg: string | undefined }[] = [];
  const at = (level: string) => (obj: unknown, msg?: string) => {
    entries.push({ level, obj: typeof obj === "object" && obj !== null ? (obj as Record<string, unknown>) : { value: obj }, msg });
  };
  return { entries, info: at("info"), warn: at("warn"), error: at("error"), debug: at("debug") } as Logger & { entries: typeof entries };
}

export interface CognitoLocal {
  readonly endpoint: string;
  readonly poolId: string;
  readonly clientId: string;
  readonly idToken: string;
  stop(): void;
}

/**
 * cognito-local on a free port in a temp dir, with a pool, a client and a signed-in user. Started
 * as the local stack starts it (local/cognito/process.ts): it counts as up only once it said it
 * listens on its port, and a port another process took first is retried on a fresh one.
 */
export async function startCognitoLocalWithUser(): Promise<CognitoLocal> {
  const dir = mkdtempSync(path.join(tmpdir(), "uaa-cognito-"));
  let child: RunningChild | undefined;
  const stop = () => {
    void child?.stop(0);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const cognito = await startCognitoLocal({ dir, port: 0, setting: PORT_SETTINGS.cognito, logDir: path.join(dir, "logs") });
    child = cognito.child;
    const endpoint = cognito.endpoint;
    const idp = new CognitoIdentityProviderClient({
      endpoint,
      region: "local",
      credentials: { accessKeyId: "local", secretAccessKey: "local" },
    });
    const pool = await idp.send(new CreateUserPoolCommand({ PoolName: "verify-mode" }));
    const poolId = pool.UserPool?.Id as string;
    const client = await idp.send(new CreateUserPoolClientCommand({ UserPoolId: poolId, ClientName: "app", ExplicitAuthFlows: ["USER_PASSWORD_AUTH"] }));
    const clientId = client.UserPoolClient?.ClientId as string;
    const [username, password] = ["ada@example.com", "Passw0rd!long"];
    await idp.send(new SignUpCommand({ ClientId: clientId, Username: username, Password: password, UserAttributes: [{ Name: "email", Value: username }] }));
    await idp.send(new AdminConfirmSignUpCommand({ UserPoolId: poolId, Username: username }));
    const auth = await idp.send(
      new InitiateAuthCommand({ ClientId: clientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: username, PASSWORD: password } }),
    );
    idp.destroy();
    return { endpoint, poolId, clientId, idToken: auth.AuthenticationResult?.IdToken as string, stop };
  } catch (err) {
    stop();
    throw err;
  }
}
