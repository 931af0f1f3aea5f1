/** Tokens on disk, one file per API (`tokens.<hash of apiUrl>.json`), readable by the owner only. */
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Tokens } from "./cognito-auth";

export interface StoredSession extends Tokens {
  readonly email: string;
  readonly apiUrl: string;
}

export function tokenFile(dir: string, apiUrl: string): string {
  const hash = createHash("sha256").update(apiUrl).digest("hex").slice(0, 16);
  return join(dir, `tokens.${hash}.json`);
}

export function saveSession(dir: string, session: StoredSession): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = tokenFile(dir, session.apiUrl);
  // A fresh 0600 file renamed over the old one: the tokens are never, even briefly, in a file
  // with wider permissions (`mode` applies only when a file is created), and never half-written.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(session, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
  return file;
}

export function loadSession(dir: string, apiUrl: string): StoredSession | undefined {
  try {
    const value = JSON.parse(readFileSync(tokenFile(dir, apiUrl), "utf8")) as Partial<StoredSession>;
    if (typeof value.idToken !== "string" || typeof value.refreshToken !== "string" || typeof value.accessToken !== "string") return undefined;
    return value as StoredSession;
  } catch {
    return undefined;
  }
}

export function clearSession(dir: string, apiUrl: string): void {
  rmSync(tokenFile(dir, apiUrl), { force: true });
}
