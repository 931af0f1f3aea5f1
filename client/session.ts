/** The signed-in user's id token for an API, refreshed with the refresh token when it is (nearly) expired. */
import { refresh } from "./cognito-auth";
import type { StackOutputs } from "./outputs";
import { loadSession, saveSession, type StoredSession } from "./token-store";

/** Refresh when the id token expires within this many seconds. */
export const REFRESH_MARGIN_SECONDS = 60;

export class NotLoggedInError extends Error {
  override readonly name = "NotLoggedInError";
  constructor(apiUrl: string) {
    super(`not logged in to ${apiUrl}: run \`npm run cli -- login <email> <password>\` first`);
  }
}

export async function currentSession(outputs: StackOutputs, tokensDir: string, nowSeconds: number = Date.now() / 1000): Promise<StoredSession> {
  const session = loadSession(tokensDir, outputs.apiUrl);
  if (!session) throw new NotLoggedInError(outputs.apiUrl);
  if (session.expiresAt - REFRESH_MARGIN_SECONDS > nowSeconds) return session;
  const tokens = await refresh(outputs, session.refreshToken);
  const renewed: StoredSession = { ...session, ...tokens };
  saveSession(tokensDir, renewed);
  return renewed;
}
