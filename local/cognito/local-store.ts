/**
 * What the SRP front needs from cognito-local that its API does not give: an app client's
 * ExplicitAuthFlows by client id alone, and a user's password. cognito-local is an emulator that
 * keeps plaintext passwords in its state files (`<dir>/.cognito/db/<poolId>.json`, clients in
 * `clients.json`); reading them is what lets the front verify an SRP proof and then have
 * cognito-local issue its own tokens. Nothing like this exists (or is needed) against real Cognito.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";

export interface LocalAppClient {
  readonly clientId: string;
  readonly userPoolId: string;
  readonly explicitAuthFlows: readonly string[];
}

export interface LocalUser {
  /** cognito-local's internal username (USER_ID_FOR_SRP). */
  readonly username: string;
  readonly password: string;
}

/** Cognito's flows for a client created without ExplicitAuthFlows. */
const DEFAULT_FLOWS = ["ALLOW_USER_SRP_AUTH", "ALLOW_CUSTOM_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];
const POOL_ID = /^[\w-]+$/;

export interface CognitoAnswer {
  readonly status: number;
  readonly body: unknown;
}

/** One JSON call to cognito-local's API (it checks no signature). */
export async function callCognitoLocal(endpoint: string, operation: string, body: unknown): Promise<CognitoAnswer> {
  const res = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": `AWSCognitoIdentityProviderService.${operation}` },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = { __type: "InternalErrorException", message: `cognito-local answered ${res.status} with a body that is not JSON` };
  }
  return { status: res.status, body: parsed };
}

export class CognitoLocalStore {
  /** `dir`: cognito-local's working directory (its state is in `<dir>/.cognito/db/`). */
  constructor(private readonly dir: string) {}

  async appClient(clientId: string): Promise<LocalAppClient | undefined> {
    const db = await this.readDb("clients.json");
    const clients = record(db?.["Clients"]);
    const client = record(clients?.[clientId]);
    const userPoolId = client?.["UserPoolId"];
    if (!client || typeof userPoolId !== "string") return undefined;
    const flows = client["ExplicitAuthFlows"];
    const explicitAuthFlows = Array.isArray(flows) && flows.length > 0 ? flows.filter((f): f is string => typeof f === "string") : DEFAULT_FLOWS;
    return { clientId, userPoolId, explicitAuthFlows };
  }

  /**
   * The user `username` names (a username, or an email where the pool signs in with email), as
   * cognito-local itself resolves it (AdminGetUser), with its stored password.
   */
  async user(endpoint: string, userPoolId: string, username: string): Promise<LocalUser | undefined> {
    if (!POOL_ID.test(userPoolId)) return undefined;
    const answer = await callCognitoLocal(endpoint, "AdminGetUser", { UserPoolId: userPoolId, Username: username });
    const internal = record(answer.body)?.["Username"];
    if (answer.status !== 200 || typeof internal !== "string") return undefined;
    const db = await this.readDb(`${userPoolId}.json`);
    const password = record(record(record(db?.["Users"])?.[internal]))?.["Password"];
    return typeof password === "string" ? { username: internal, password } : undefined;
  }

  /** A state file; cognito-local rewrites them in place, so a read mid-write is tried again. */
  private async readDb(file: string): Promise<Record<string, unknown> | undefined> {
    for (let attempt = 1; ; attempt++) {
      let text: string;
      try {
        text = await readFile(join(this.dir, ".cognito", "db", file), "utf8");
      } catch {
        return undefined;
      }
      try {
        return record(JSON.parse(text));
      } catch (err) {
        if (attempt >= 5) throw err;
        await new Promise((resolve) => setTimeout(resolve, 20 * attempt));
      }
    }
  }
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
