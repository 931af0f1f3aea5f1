/**
 * First run: create the user pool (email as username, email auto-verified), an app client
 * (no secret, USER_PASSWORD_AUTH + refresh) and a confirmed demo user. Later runs reuse what
 * the saved outputs name, after checking each still exists in cognito-local's state.
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
  type CognitoIdentityProviderClient,
} from "@aws-sdk/client-cognito-identity-provider";

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

async function poolExists(client: CognitoIdentityProviderClient, ids: PoolIds): Promise<boolean> {
  try {
    await client.send(new DescribeUserPoolCommand({ UserPoolId: ids.userPoolId }));
    await client.send(new DescribeUserPoolClientCommand({ UserPoolId: ids.userPoolId, ClientId: ids.userPoolClientId }));
    return true;
  } catch (err) {
    if (isNotFound(err)) return false;
    throw err;
  }
}

async function createPool(client: CognitoIdentityProviderClient, name: string): Promise<PoolIds> {
  const pool = await client.send(
    new CreateUserPoolCommand({
      PoolName: name,
      UsernameAttributes: ["email"],
      AutoVerifiedAttributes: ["email"],
      Policies: {
        PasswordPolicy: { MinimumLength: 8, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: false },
      },
    }),
  );
  const userPoolId = pool.UserPool?.Id;
  if (!userPoolId) throw new Error("cognito-local: CreateUserPool returned no pool id");
  const app = await client.send(
    new CreateUserPoolClientCommand({
      UserPoolId: userPoolId,
      ClientName: `${name}-cli`,
      GenerateSecret: false,
      ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
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

export async function bootstrapCognito(
  client: CognitoIdentityProviderClient,
  poolName: string,
  previous: PoolIds | undefined,
  demo: DemoUser = DEMO_USER,
): Promise<BootstrapResult> {
  let ids = previous && (await poolExists(client, previous)) ? previous : undefined;
  const created = ids === undefined;
  if (!ids) ids = await createPool(client, poolName);
  await ensureConfirmedUser(client, ids, demo);
  return { ...ids, created };
}
