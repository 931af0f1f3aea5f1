/**
 * Users A and B for the smoke suite, signed in with the suite's flow (USER_SRP_AUTH by default).
 * By default they are fresh sign-ups, confirmed with AdminConfirmSignUp on the local stack. On a
 * deployed stack, pass pre-confirmed users (--user-a/--user-b email:password) instead.
 */
import { randomBytes } from "node:crypto";
import { type CognitoIdentityProviderClient, DeleteUserCommand } from "@aws-sdk/client-cognito-identity-provider";
import { cognitoClient, confirmSignUp, login, signUp, type SignInFlow, type Tokens } from "../cognito-auth";
import { decodePayload } from "../jwt";
import { isLocalStack, type StackOutputs } from "../outputs";
import { CheckFailed } from "./expect";

export interface Credentials {
  readonly email: string;
  readonly password: string;
}

export interface SmokeUser extends Credentials {
  readonly label: string;
  readonly tokens: Tokens;
  readonly sub: string;
  /** Signed up by this run (and so deleted at the end). */
  readonly fresh: boolean;
}

/** "email:password" (the password may contain colons). */
export function parseCredentials(value: string, flag: string): Credentials {
  const at = value.indexOf(":");
  if (at <= 0 || at === value.length - 1) throw new Error(`${flag} must be email:password`);
  return { email: value.slice(0, at), password: value.slice(at + 1) };
}

function randomCredentials(label: string): Credentials {
  const id = randomBytes(6).toString("hex");
  return { email: `smoke-${label.toLowerCase()}-${id}@example.com`, password: `Smoke-${id}-Aa1!` };
}

/** A fresh sign-up needs the emailed code (a deployed stack): the suite cannot create users there. */
export class UnconfirmableUserError extends CheckFailed {}

export async function prepareUser(outputs: StackOutputs, label: string, given: Credentials | undefined, flow: SignInFlow = "srp"): Promise<SmokeUser> {
  let credentials = given;
  if (!credentials) {
    credentials = randomCredentials(label);
    const { confirmed } = await signUp(outputs, credentials.email, credentials.password);
    if (!confirmed) {
      if (!isLocalStack(outputs)) {
        throw new UnconfirmableUserError(
          `user ${label} (${credentials.email}) was signed up but needs confirming: on a deployed stack pass pre-confirmed users with ` +
            `--user-a/--user-b email:password (see docs/local.md, "Smoke suite on a deployed stack")`,
        );
      }
      await confirmSignUp(outputs, credentials.email, undefined);
    }
  }
  const tokens = await login(outputs, credentials.email, credentials.password, flow);
  const sub = decodePayload(tokens.idToken).sub;
  if (typeof sub !== "string") throw new CheckFailed(`user ${label}: id token without sub`);
  return { ...credentials, label, tokens, sub, fresh: given === undefined };
}

/** Delete a user this run signed up (DeleteUser with its own access token: no AWS credentials). */
export async function deleteFreshUser(outputs: StackOutputs, user: SmokeUser): Promise<void> {
  if (!user.fresh) return;
  const client: CognitoIdentityProviderClient = cognitoClient(outputs);
  try {
    await client.send(new DeleteUserCommand({ AccessToken: user.tokens.accessToken }));
  } finally {
    client.destroy();
  }
}
