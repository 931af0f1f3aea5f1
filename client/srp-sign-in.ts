/**
 * Sign in with USER_SRP_AUTH through Amplify JS v6's own auth module (`aws-amplify/auth` signIn, the
 * mobile app's code path), not hand-rolled SRP math. Amplify keeps one configuration and one
 * sign-in state per process, so sign-ins here run one at a time, each with fresh in-memory token
 * storage (no signOut: that would revoke the refresh token the CLI keeps).
 */
import { Amplify } from "aws-amplify";
import { signIn } from "aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";
import { ConsoleLogger, type KeyValueStorageInterface } from "aws-amplify/utils";
import type { StackOutputs } from "./outputs";

export interface SrpTokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
}

/** Amplify's answer when sign-in did not end with tokens, or Cognito's error (name and message kept). */
export class SrpSignInError extends Error {
  constructor(name: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = name;
  }
}

/** Amplify's token storage in memory (the documented hook for an app's own storage): nothing on disk. */
export class MemoryStorage implements KeyValueStorageInterface {
  readonly items = new Map<string, string>();
  async setItem(key: string, value: string): Promise<void> {
    this.items.set(key, value);
  }
  async getItem(key: string): Promise<string | null> {
    return this.items.get(key) ?? null;
  }
  async removeItem(key: string): Promise<void> {
    this.items.delete(key);
  }
  async clear(): Promise<void> {
    this.items.clear();
  }
}

let queue: Promise<unknown> = Promise.resolve();

/** Amplify wraps a failed connection as NetworkError with the socket error in `underlyingError`. */
export function underlyingErrorOf(err: unknown): unknown {
  return (err as { underlyingError?: unknown } | undefined)?.underlyingError ?? err;
}

async function signInOnce(outputs: StackOutputs, email: string, password: string): Promise<SrpTokens> {
  // Amplify warns on every configure with a custom endpoint; the local stack's is meant (errors still show).
  if (outputs.cognitoEndpoint) ConsoleLogger.LOG_LEVEL = "ERROR";
  Amplify.configure({
    Auth: {
      Cognito: {
        userPoolId: outputs.userPoolId,
        userPoolClientId: outputs.userPoolClientId,
        // The local stack's user-pool endpoint; deployed stacks use Cognito's, from the pool id's region.
        ...(outputs.cognitoEndpoint ? { userPoolEndpoint: outputs.cognitoEndpoint } : {}),
      },
    },
  });
  // After configure, which resets the token provider's storage to its default.
  cognitoUserPoolsTokenProvider.setKeyValueStorage(new MemoryStorage());
  const result = await signIn({ username: email, password }); // USER_SRP_AUTH: signIn's default
  if (!result.isSignedIn) {
    throw new SrpSignInError("SignInNotComplete", `sign-in needs another step first: ${result.nextStep.signInStep}`);
  }
  const tokens = await cognitoUserPoolsTokenProvider.authTokenStore.loadTokens();
  const idToken = tokens?.idToken?.toString();
  const accessToken = tokens?.accessToken.toString();
  const refreshToken = tokens?.refreshToken;
  if (!idToken || !accessToken || !refreshToken) throw new SrpSignInError("SignInNotComplete", "sign-in answered without tokens");
  return { idToken, accessToken, refreshToken };
}

/** USER_SRP_AUTH for `email`; Cognito's errors keep their name (e.g. NotAuthorizedException). */
export function srpSignIn(outputs: StackOutputs, email: string, password: string): Promise<SrpTokens> {
  const run = queue.then(() => signInOnce(outputs, email, password));
  queue = run.catch(() => undefined);
  return run;
}
