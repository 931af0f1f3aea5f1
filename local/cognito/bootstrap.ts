/**
 * First run: create the user pool (the deployed pool's settings from contract/user-pool.ts: email
 * as username, email auto-verified, the same password policy; no MFA), an app client (no secret,
 * USER_SRP_AUTH + refresh, as the deployed client, and USER_PASSWORD_AUTH unless started in prod's
 * shape) and a confirmed demo user. Later runs reuse what the saved outputs name, after checking
 * each still exists in cognito-local's state (and bringing a pool and client made by an older
 * version, or with the other password-auth setting, to the current settings).
 */
import {
  AdminConfirmSignUpCommand,
  AdminGetUserCommand,
  AdminUpdateUserAttributesCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolClientCommand,
  DescribeUserPoolCommand,
  SignUpCommand,
  UpdateUserPoolClientCommand,
  UpdateUserPoolCommand,
  type CognitoIdentityProviderClient,
  type ExplicitAuthFlowsType,
  type UserPoolType,
} from "@aws-sdk/client-cognito-identity-provider";
import { LOCAL_MFA, userPoolSettings } from "../../contract/user-pool";

export interface DemoUser {
  readonly email: string;
  readonly password: string;
}

export const DEMO_USER: DemoUser = { email: "demo@example.com", password: "Demo-passw0rd!" };

export interface PoolIds {
  readonly userPoolId: string;
  readonly userPoolClientId: string;
}

export interface BootstrapResult extends PoolIds {
  /** False when everything was reused from a previous run. */
  readonly created: boolean;
}

function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name;
  return name === "ResourceNotFoundException" || name === "UserNotFoundException";
}

/** The pool settings amplify_outputs.json describes (contract/user-pool.ts), as cognito-local takes them. */
const policy = userPoolSettings.passwordPolicy;
export const localPoolSettings = {
  UsernameAttributes: [...userPoolSettings.usernameAttributes],
  AutoVerifiedAttributes: [...userPoolSettings.autoVerifiedAttributes],
  MfaConfiguration: LOCAL_MFA,
  Policies: {
    PasswordPolicy: {
      MinimumLength: policy.minimumLength,
      RequireLowercase: policy.requireLowercase,
      RequireUppercase: policy.requireUppercase,
      RequireNumbers: policy.requireNumbers,
      RequireSymbols: policy.requireSymbols,
      TemporaryPasswordValidityDays: policy.temporaryPasswordValidityDays,
    },
  },
};

/** The pool, or undefined when it or its client is gone from cognito-local's state. */
async function existingPool(client: CognitoIdentityProviderClient, ids: PoolIds): Promise<UserPoolType | undefined> {
  try {
    const pool = await client.send(new DescribeUserPoolCommand({ UserPoolId: ids.userPoolId }));
    await client.send(new DescribeUserPoolClientCommand({ UserPoolId: ids.userPoolId, ClientId: ids.userPoolClientId }));
    return pool.UserPool;
  } catch (err) {
    if (isNotFound(err)) return undefined;
    throw err;
  }
}

/** A pool created by an older version (e.g. an 8-character policy) gets the current settings. */
async function ensurePoolSettings(client: CognitoIdentityProviderClient, pool: UserPoolType, userPoolId: string): Promise<void> {
  const current = {
    AutoVerifiedAttributes: pool.AutoVerifiedAttributes,
    MfaConfiguration: pool.MfaConfiguration,
    PasswordPolicy: pool.Policies?.PasswordPolicy,
  };
  const wanted = {
    AutoVerifiedAttributes: localPoolSettings.AutoVerifiedAttributes,
    MfaConfiguration: localPoolSettings.MfaConfiguration,
    PasswordPolicy: localPoolSettings.Policies.PasswordPolicy,
  };
  if (JSON.stringify(current) === JSON.stringify(wanted)) return;
  await client.send(
    new UpdateUserPoolCommand({
      UserPoolId: userPoolId,
      AutoVerifiedAttributes: localPoolSettings.AutoVerifiedAttributes,
      MfaConfiguration: localPoolSettings.MfaConfiguration,
      Policies: localPoolSettings.Policies,
    }),
  );
}

/** The app client's flows: the deployed client's (infra/identity.ts), password auth as configured. */
export function localAuthFlows(passwordAuth: boolean): ExplicitAuthFlowsType[] {
  const flows: ExplicitAuthFlowsType[] = ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"];
  return passwordAuth ? [...flows, "ALLOW_USER_PASSWORD_AUTH"] : flows;
}

/** An existing client gets the flows this start asks for (an older version's, or the other setting). */
async function ensureClientFlows(client: CognitoIdentityProviderClient, ids: PoolIds, flows: readonly ExplicitAuthFlowsType[]): Promise<void> {
  const current = await client.send(new DescribeUserPoolClientCommand({ UserPoolId: ids.userPoolId, ClientId: ids.userPoolClientId }));
  const have = [...(current.UserPoolClient?.ExplicitAuthFlows ?? [])].sort();
  if (JSON.stringify(have) === JSON.stringify([...flows].sort())) return;
  await client.send(new UpdateUserPoolClientCommand({ UserPoolId: ids.userPoolId, ClientId: ids.userPoolClientId, ExplicitAuthFlows: [...flows] }));
}

async function createPool(client: CognitoIdentityProviderClient, name: string, flows: readonly ExplicitAuthFlowsType[]): Promise<PoolIds> {
  const pool = await client.send(new CreateUserPoolCommand({ PoolName: name, ...localPoolSettings }));
  const userPoolId = pool.UserPool?.Id;
  if (!userPoolId) throw new Error("cognito-local: CreateUserPool returned no pool id");
  const app = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: `${name}-cli`,
      GenerateSecret: false,
      ExplicitAuthFlows: [...flows],
      // As the deployed pool: id and access tokens valid for one hour.
      IdTokenValidity: 60,
      AccessTokenValidity: 60,
      RefreshTokenValidity: 30,
      TokenValidityUnits: { IdToken: "minutes", AccessToken: "minutes", RefreshToken: "days" },
    }),
  );
  const userPoolClientId = app.UserPoolClient?.ClientId;
  if (!userPoolClientId) throw new Error("cognito-local: CreateUserPoolClient returned no client id");
  return { userPoolId, userPoolClientId };
}

/** Sign a user up and confirm them as an admin would (cognito-local only). Idempotent. */
export async function ensureConfirmedUser(client: CognitoIdentityProviderClient, ids: PoolIds, user: DemoUser): Promise<void> {
  try {
    const existing = await client.send(new AdminGetUserCommand({ UserPoolId: ids.userPoolId, Username: user.email }));
    if (existing.UserStatus === "CONFIRMED") return;
  } catch (err) {
    if (!isNotFound(err)) throw err;
    await client.send(
      new SignUpCommand({
        ClientId: ids.userPoolClientId,
        Username: user.email,
        Password: user.password,
        UserAttributes: [{ Name: "email", Value: user.email }],
      }),
    );
  }
  await client.send(new AdminConfirmSignUpCommand({ UserPoolId: ids.userPoolId, Username: user.email }));
  await client.send(
    new AdminUpdateUserAttributesCommand({
      UserPoolId: ids.userPoolId,
      Username: user.email,
      UserAttributes: [
        { Name: "email", Value: user.email },
        { Name: "email_verified", Value: "true" },
      ],
    }),
  );
}

export interface BootstrapOptions {
  readonly demo?: DemoUser;
  /** Allow USER_PASSWORD_AUTH on the app client (default true); false = prod's shape, SRP + refresh only. */
  readonly passwordAuth?: boolean;
}

export async function bootstrapCognito(
  client: CognitoIdentityProviderClient,
  poolName: string,
  previous: PoolIds | undefined,
  options: BootstrapOptions = {},
): Promise<BootstrapResult> {
  const demo = options.demo ?? DEMO_USER;
  const flows = localAuthFlows(options.passwordAuth ?? true);
  const existing = previous && (await existingPool(client, previous));
  let ids = existing ? previous : undefined;
  const created = ids === undefined;
  if (existing && ids) {
    await ensurePoolSettings(client, existing, ids.userPoolId);
    await ensureClientFlows(client, ids, flows);
  }
  if (!ids) ids = await createPool(client, poolName, flows);
  await ensureConfirmedUser(client, ids, demo);
  return { ...ids, created };
}
