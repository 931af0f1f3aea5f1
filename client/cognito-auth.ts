/**
 * What the mobile app does with Cognito, for any stack: sign up, confirm, sign in — USER_SRP_AUTH by
 * default, through Amplify JS (srp-sign-in.ts), as the app does; USER_PASSWORD_AUTH when asked (needs
 * `allowPasswordAuth` on a deployed stack) — and refresh.
 * On cognito-local, admin calls (AdminConfirmSignUp) run with dummy credentials; on a deployed
 * stack only the unauthenticated user APIs are called, so no AWS credentials are needed.
 */
import {
  AdminConfirmSignUpCommand,
  AdminUpdateUserAttributesCommand,
  CognitoIdentityProviderClient,
  ConfirmSignUpCommand,
  InitiateAuthCommand,
  SignUpCommand,
  type AuthenticationResultType,
} from "@aws-sdk/client-cognito-identity-provider";
import { expiresAt } from "./jwt";
import { cognitoEndpointOf, isLocalStack, type StackOutputs } from "./outputs";
import { srpSignIn, underlyingErrorOf } from "./srp-sign-in";
import { isConnectionFailure, UnreachableError } from "./unreachable";

export interface Tokens {
  readonly idToken: string;
  readonly accessToken: string;
  readonly refreshToken: string;
  /** The id token's `exp` (seconds since the epoch). */
  readonly expiresAt: number;
}

export class AuthError extends Error {
  override readonly name = "AuthError";
}

export function cognitoClient(outputs: StackOutputs): CognitoIdentityProviderClient {
  const local = isLocalStack(outputs);
  return new CognitoIdentityProviderClient({
    region: outputs.region,
    endpoint: cognitoEndpointOf(outputs),
    ...(local ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
  });
}

/** The SDK's error name and message as one line, e.g. "NotAuthorizedException: Incorrect username or password." */
export function describeAwsError(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/** The call, with its failure as one line: unreachable like every other endpoint, or Cognito's answer. */
async function call<T>(outputs: StackOutputs, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (isConnectionFailure(err)) throw new UnreachableError("the user pool", cognitoEndpointOf(outputs), outputs, err);
    throw new AuthError(`${what} failed: ${describeAwsError(err)}`);
  }
}

export async function signUp(outputs: StackOutputs, email: string, password: string): Promise<{ userSub: string; confirmed: boolean }> {
  const client = cognitoClient(outputs);
  const res = await call(outputs, "sign-up", () =>
    client.send(
      new SignUpCommand({ ClientId: outputs.userPoolClientId, Username: email, Password: password, UserAttributes: [{ Name: "email", Value: email }] }),
    ),
  );
  client.destroy();
  if (!res.UserSub) throw new AuthError("sign-up failed: no UserSub in the answer");
  return { userSub: res.UserSub, confirmed: res.UserConfirmed === true };
}

/** Locally: AdminConfirmSignUp (no code needed). Deployed: ConfirmSignUp with the emailed code. */
export async function confirmSignUp(outputs: StackOutputs, email: string, code: string | undefined): Promise<"admin" | "code"> {
  const client = cognitoClient(outputs);
  try {
    if (code !== undefined) {
      await call(outputs, "confirm", () =>
        client.send(new ConfirmSignUpCommand({ ClientId: outputs.userPoolClientId, Username: email, ConfirmationCode: code })),
      );
      return "code";
    }
    if (!isLocalStack(outputs)) {
      throw new AuthError("confirm needs --code <code from the email> on a deployed stack (or an admin: aws cognito-idp admin-confirm-sign-up)");
    }
    await call(outputs, "confirm", () => client.send(new AdminConfirmSignUpCommand({ UserPoolId: outputs.userPoolId, Username: email })));
    // Confirming with the emailed code verifies the email; the admin shortcut does not, so say it.
    await call(outputs, "confirm", () =>
      client.send(
        new AdminUpdateUserAttributesCommand({
          UserPoolId: outputs.userPoolId,
          Username: email,
          UserAttributes: [
            { Name: "email", Value: email },
            { Name: "email_verified", Value: "true" },
          ],
        }),
      ),
    );
    return "admin";
  } finally {
    client.destroy();
  }
}

function toTokens(result: AuthenticationResultType | undefined, previousRefresh?: string): Tokens {
  const idToken = result?.IdToken;
  const accessToken = result?.AccessToken;
  const refreshToken = result?.RefreshToken ?? previousRefresh;
  if (!idToken || !accessToken || !refreshToken)
    throw new AuthError("sign-in answered without tokens (is a challenge such as MFA or a new password required?)");
  return { idToken, accessToken, refreshToken, expiresAt: expiresAt(idToken) };
}

/** How to sign in: `srp` (USER_SRP_AUTH, the app's and the default) or `password` (USER_PASSWORD_AUTH). */
export type SignInFlow = "srp" | "password";
export const SIGN_IN_FLOWS: readonly SignInFlow[] = ["srp", "password"];

/** Cognito's name for the flow, as the CLI and the smoke suite report it. */
export function authFlowName(flow: SignInFlow): "USER_SRP_AUTH" | "USER_PASSWORD_AUTH" {
  return flow === "srp" ? "USER_SRP_AUTH" : "USER_PASSWORD_AUTH";
}

/** `--auth` as given: srp or password, anything else a clear error. */
export function parseSignInFlow(value: string | undefined): SignInFlow {
  if (value === undefined) return "srp";
  if ((SIGN_IN_FLOWS as readonly string[]).includes(value)) return value as SignInFlow;
  throw new AuthError(`--auth must be ${SIGN_IN_FLOWS.join(" or ")}, got "${value}"`);
}

export async function login(outputs: StackOutputs, email: string, password: string, flow: SignInFlow = "srp"): Promise<Tokens> {
  if (flow === "srp") {
    try {
      const { idToken, accessToken, refreshToken } = await srpSignIn(outputs, email, password);
      return { idToken, accessToken, refreshToken, expiresAt: expiresAt(idToken) };
    } catch (err) {
      const cause = underlyingErrorOf(err);
      if (isConnectionFailure(cause)) throw new UnreachableError("the user pool", cognitoEndpointOf(outputs), outputs, cause);
      if (err instanceof AuthError) throw err;
      throw new AuthError(`login failed: ${describeAwsError(err)}`);
    }
  }
  const client = cognitoClient(outputs);
  const res = await call(outputs, "login", () =>
    client.send(
      new InitiateAuthCommand({ ClientId: outputs.userPoolClientId, AuthFlow: "USER_PASSWORD_AUTH", AuthParameters: { USERNAME: email, PASSWORD: password } }),
    ),
  );
  client.destroy();
  return toTokens(res.AuthenticationResult);
}

export async function refresh(outputs: StackOutputs, refreshToken: string): Promise<Tokens> {
  const client = cognitoClient(outputs);
  const res = await call(outputs, "token refresh", () =>
    client.send(
      new InitiateAuthCommand({ ClientId: outputs.userPoolClientId, AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: refreshToken } }),
    ),
  );
  client.destroy();
  return toTokens(res.AuthenticationResult, refreshToken);
}
