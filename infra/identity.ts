/** Identity: the Cognito user pool the app signs in with, and its public app client. */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { userPoolSettings, type MfaMode } from "../contract/user-pool";
import type { SesEmail } from "./config";

export interface IdentityArgs {
  /** The region the pool lives in; used for the regional issuer URL. */
  region: pulumi.Input<string>;
  /** Deletion protection on the pool, and keep it when the stack is destroyed. */
  protect: boolean;
  /** Add USER_PASSWORD_AUTH to the app client (the CLI and smoke suite need it); SRP is always on. */
  allowPasswordAuth: boolean;
  /** `OPTIONAL` offers TOTP MFA to users; `OFF` disables MFA. */
  mfa: MfaMode;
  /** Id token lifetime in minutes (5..1440). The id token is the API's credential. */
  idTokenValidityMinutes: number;
  /**
   * Send the pool's email (codes, password resets) through this SES identity (DEVELOPER). Undefined:
   * Cognito's default sender, capped at about 50 emails a day — fine for dev, not for a launch.
   */
  sesEmail: SesEmail | undefined;
}

export class Identity extends pulumi.ComponentResource {
  readonly userPool: aws.cognito.UserPool;
  readonly client: aws.cognito.UserPoolClient;
  /** Regional issuer: `https://cognito-idp.<region>.amazonaws.com/<poolId>` (the id token's `iss`). */
  readonly issuer: pulumi.Output<string>;

  constructor(name: string, args: IdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    super("user-aware-api:aws:Identity", name, {}, opts);
    const { protect, allowPasswordAuth, mfa, idTokenValidityMinutes } = args;

    this.userPool = new aws.cognito.UserPool(
      `${name}-pool`,
      {
        // Email is the sign-in name; Cognito sends a code to verify it (contract/user-pool.ts,
        // which amplify_outputs.json is built from too).
        usernameAttributes: [...userPoolSettings.usernameAttributes],
        autoVerifiedAttributes: [...userPoolSettings.autoVerifiedAttributes],
        usernameConfiguration: { caseSensitive: false },
        verificationMessageTemplate: { defaultEmailOption: "CONFIRM_WITH_CODE" },
        accountRecoverySetting: { recoveryMechanisms: [{ name: "verified_email", priority: 1 }] },
        passwordPolicy: { ...userPoolSettings.passwordPolicy },
        mfaConfiguration: mfa,
        // TOTP is the one method offered (userPoolSettings.mfaMethod).
        softwareTokenMfaConfiguration: mfa === "OFF" ? undefined : { enabled: true },
        deletionProtection: protect ? "ACTIVE" : "INACTIVE",
        emailConfiguration: emailConfigurationFor(args.sesEmail),
      },
      { parent: this, retainOnDelete: protect },
    );

    this.client = new aws.cognito.UserPoolClient(
      `${name}-client`,
      {
        userPoolId: this.userPool.id,
        // A mobile app cannot keep a secret.
        generateSecret: false,
        explicitAuthFlows: ["ALLOW_USER_SRP_AUTH", "ALLOW_REFRESH_TOKEN_AUTH", ...(allowPasswordAuth ? ["ALLOW_USER_PASSWORD_AUTH"] : [])],
        supportedIdentityProviders: ["COGNITO"],
        preventUserExistenceErrors: "ENABLED",
        enableTokenRevocation: true,
        idTokenValidity: idTokenValidityMinutes,
        accessTokenValidity: 60,
        refreshTokenValidity: 30,
        tokenValidityUnits: { idToken: "minutes", accessToken: "minutes", refreshToken: "days" },
      },
      { parent: this },
    );

    this.issuer = pulumi.interpolate`https://cognito-idp.${args.region}.amazonaws.com/${this.userPool.id}`;

    this.registerOutputs({ userPoolId: this.userPool.id, userPoolClientId: this.client.id, issuer: this.issuer });
  }
}

/**
 * DEVELOPER: Cognito calls SES with the identity (which needs a sending authorization policy for
 * Cognito, docs/deploy.md "Email"); COGNITO_DEFAULT, stated rather than left to the default.
 */
export function emailConfigurationFor(ses: SesEmail | undefined): aws.types.input.cognito.UserPoolEmailConfiguration {
  if (!ses) return { emailSendingAccount: "COGNITO_DEFAULT" };
  return {
    emailSendingAccount: "DEVELOPER",
    sourceArn: ses.identityArn,
    fromEmailAddress: ses.from,
    ...(ses.replyTo === undefined ? {} : { replyToEmailAddress: ses.replyTo }),
  };
}
