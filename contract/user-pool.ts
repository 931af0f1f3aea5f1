/**
 * The user pool's sign-in settings, in one place: infra/identity.ts declares the Cognito pool
 * with them, local/cognito/bootstrap.ts creates cognito-local's pool with them, and
 * contract/amplify-outputs.ts tells the app about them (amplify_outputs.json), so what the app
 * is told is what the pool enforces.
 */

/** MFA on the pool (stack config `mfa`): `OPTIONAL` offers TOTP to users, `OFF` has none. */
export type MfaMode = "OFF" | "OPTIONAL";

export const userPoolSettings = {
  /** Email is the sign-in name (Cognito then uses the sub as `cognito:username`). */
  usernameAttributes: ["email"],
  /** Cognito sends a code to verify the email. */
  autoVerifiedAttributes: ["email"],
  passwordPolicy: {
    /** Cognito's default is 8; we ask a little more. */
    minimumLength: 12,
    requireLowercase: true,
    requireUppercase: true,
    requireNumbers: true,
    requireSymbols: true,
    temporaryPasswordValidityDays: 3,
  },
  /** The only second factor the pool offers when MFA is on (no SMS: no SNS set-up, no cost). */
  mfaMethod: "TOTP",
  /** Standard attributes the pool requires at sign-up beyond the username: none. */
  standardRequiredAttributes: [],
} as const;

/** The local pool is created without MFA: the demo user and the tests sign in with a password alone. */
export const LOCAL_MFA: MfaMode = "OFF";
