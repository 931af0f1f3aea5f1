/**
 * `amplify_outputs.json`: Amplify Gen 2's client config, schema version 1.5 (the JSON schema of
 * `@aws-amplify/client-config`, kept in test/fixtures/amplify-outputs-schema-v1.5.json). The app
 * passes it to `Amplify.configure`. Built here from a stack's outputs and the pool settings of
 * contract/user-pool.ts, by the Pulumi program (stack output `amplifyOutputs`), the local stack
 * (.data/amplify_outputs.json) and `npm run app-config`.
 *
 * `custom` (free-form in the schema) carries what Amplify's own sections cannot say:
 * - `custom.api`: this REST API's base URL and region (Amplify's `data` section is AppSync only);
 * - `custom.sign_in`: the auth flow the pool is meant to be signed in with (USER_SRP_AUTH, Amplify's
 *   default, for every stack), and for the local stack its user-pool endpoint
 *   (`Auth.Cognito.userPoolEndpoint`: the SRP front before cognito-local). The local file differs
 *   from a deployed one only by that endpoint.
 */
import * as z from "zod";
import { userPoolSettings, type MfaMode } from "./user-pool";

export const AMPLIFY_OUTPUTS_VERSION = "1.5";

const authFlowTypes = ["USER_SRP_AUTH", "USER_PASSWORD_AUTH"] as const;

/** Cognito's standard attributes, as the schema lists them (`amazon_cognito_standard_attributes`). */
const cognitoStandardAttributes = [
  "address",
  "birthdate",
  "email",
  "family_name",
  "gender",
  "given_name",
  "locale",
  "middle_name",
  "name",
  "nickname",
  "phone_number",
  "picture",
  "preferred_username",
  "profile",
  "sub",
  "updated_at",
  "website",
  "zoneinfo",
] as const;

/** The part of the 1.5 schema this project fills, strict: what `amplifyOutputsFor` writes. */
export const amplifyOutputsSchema = z.strictObject({
  version: z.literal(AMPLIFY_OUTPUTS_VERSION),
  auth: z.strictObject({
    aws_region: z.string().min(1),
    user_pool_id: z.string().min(1),
    user_pool_client_id: z.string().min(1),
    password_policy: z.strictObject({
      min_length: z.number().int().min(6).max(99),
      require_numbers: z.boolean(),
      require_lowercase: z.boolean(),
      require_uppercase: z.boolean(),
      require_symbols: z.boolean(),
    }),
    standard_required_attributes: z.array(z.enum(cognitoStandardAttributes)),
    username_attributes: z.array(z.enum(["email", "phone_number", "username"])).min(1),
    user_verification_types: z.array(z.enum(["email", "phone_number"])),
    /** No identity pool: the app gets no AWS credentials, signed in or not. */
    unauthenticated_identities_enabled: z.literal(false),
    mfa_configuration: z.enum(["NONE", "OPTIONAL", "REQUIRED"]),
    mfa_methods: z.array(z.enum(["SMS", "TOTP", "EMAIL"])),
  }),
  custom: z.strictObject({
    api: z.strictObject({
      /** Base URL of the REST API (the stack output `apiUrl`); every route is relative to it. */
      url: z.url(),
      aws_region: z.string().min(1),
    }),
    sign_in: z.strictObject({
      /** The pool's sign-in flow: USER_SRP_AUTH, `signIn`'s default (no `authFlowType` needed). */
      auth_flow_type: z.enum(authFlowTypes),
      /** Local stack only: set `Auth.Cognito.userPoolEndpoint` to this (the local user-pool endpoint). */
      user_pool_endpoint: z.url().optional(),
    }),
  }),
});

export type AmplifyOutputs = z.infer<typeof amplifyOutputsSchema>;

export interface AmplifyOutputsInput {
  readonly region: string;
  readonly userPoolId: string;
  readonly userPoolClientId: string;
  readonly apiUrl: string;
  /** The pool's MFA mode (stack config `mfa`; `LOCAL_MFA` for cognito-local). */
  readonly mfa: MfaMode;
  /** The local stack's user-pool endpoint; set only for the local stack. */
  readonly userPoolEndpoint?: string;
}

export function amplifyOutputsFor(input: AmplifyOutputsInput): AmplifyOutputs {
  const policy = userPoolSettings.passwordPolicy;
  return {
    version: AMPLIFY_OUTPUTS_VERSION,
    auth: {
      aws_region: input.region,
      user_pool_id: input.userPoolId,
      user_pool_client_id: input.userPoolClientId,
      password_policy: {
        min_length: policy.minimumLength,
        require_numbers: policy.requireNumbers,
        require_lowercase: policy.requireLowercase,
        require_uppercase: policy.requireUppercase,
        require_symbols: policy.requireSymbols,
      },
      standard_required_attributes: [...userPoolSettings.standardRequiredAttributes],
      username_attributes: [...userPoolSettings.usernameAttributes],
      user_verification_types: [...userPoolSettings.autoVerifiedAttributes],
      unauthenticated_identities_enabled: false,
      mfa_configuration: input.mfa === "OFF" ? "NONE" : "OPTIONAL",
      mfa_methods: input.mfa === "OFF" ? [] : [userPoolSettings.mfaMethod],
    },
    custom: {
      api: { url: input.apiUrl, aws_region: input.region },
      sign_in: {
        auth_flow_type: "USER_SRP_AUTH",
        ...(input.userPoolEndpoint === undefined ? {} : { user_pool_endpoint: input.userPoolEndpoint }),
      },
    },
  };
}
