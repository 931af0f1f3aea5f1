/**
 * The app's config from a deployed stack: the program's `amplifyOutputs` output validates
 * against Amplify's published schema, names exactly the stack's pool, client, region and API, and
 * says what the recorded pool and client really are (read from their inputs, not from the
 * constants that built them). `npm run app-config` on the stack's `pulumi stack output --json`
 * writes the same file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runAppConfig } from "../../client/app-config";
import type { AmplifyOutputs } from "../../contract/amplify-outputs";
import type { StackConfig } from "../../infra/config";
import { amplifySchemaErrors } from "../helpers/amplify-schema";
import { ofType } from "./mocks";
import { idOf, one, T } from "./recorded";

export function describeAppConfigInvariants(stack: string, config: StackConfig, outputsOf: () => Record<string, unknown>): void {
  describe(`${stack}: amplifyOutputs (amplify_outputs.json for the app)`, () => {
    const amplify = () => outputsOf()["amplifyOutputs"] as AmplifyOutputs;

    it("validates against the published amplify_outputs.json schema (v1.5)", () => {
      expect(amplifySchemaErrors(amplify())).toEqual([]);
    });

    it("names the stack's pool, client, region and API (the other outputs)", () => {
      const outputs = outputsOf();
      expect(amplify().auth).toMatchObject({
        aws_region: outputs["region"],
        user_pool_id: outputs["userPoolId"],
        user_pool_client_id: outputs["userPoolClientId"],
      });
      expect(amplify().custom["api"]).toEqual({ url: outputs["apiUrl"], aws_region: outputs["region"] });
      expect(amplify().auth.user_pool_id).toBe(idOf(one(T.pool)));
      expect(amplify().auth.user_pool_client_id).toBe(idOf(one(T.client)));
    });

    it("says what the declared pool and client are: password policy, sign-in and verification attributes, MFA, SRP, no identity pool", () => {
      const pool = one(T.pool).inputs;
      const client = one(T.client).inputs;
      const policy = pool["passwordPolicy"];
      const required = ((pool["schemas"] ?? []) as Array<{ name: string; required?: boolean }>).filter((s) => s.required).map((s) => s.name);
      const mfaMethods = [
        ...(pool["smsConfiguration"] ? ["SMS"] : []),
        ...(pool["softwareTokenMfaConfiguration"]?.enabled ? ["TOTP"] : []),
        ...(pool["emailMfaConfiguration"] ? ["EMAIL"] : []),
      ];
      expect(amplify().auth).toEqual({
        aws_region: amplify().auth.aws_region,
        user_pool_id: amplify().auth.user_pool_id,
        user_pool_client_id: amplify().auth.user_pool_client_id,
        password_policy: {
          min_length: policy.minimumLength,
          require_numbers: policy.requireNumbers,
          require_lowercase: policy.requireLowercase,
          require_uppercase: policy.requireUppercase,
          require_symbols: policy.requireSymbols,
        },
        standard_required_attributes: required,
        username_attributes: pool["usernameAttributes"],
        user_verification_types: pool["autoVerifiedAttributes"],
        unauthenticated_identities_enabled: false,
        mfa_configuration: pool["mfaConfiguration"] === "OFF" ? "NONE" : pool["mfaConfiguration"],
        mfa_methods: mfaMethods,
      });
      expect(amplify().auth.mfa_configuration).toBe(config.mfa === "OFF" ? "NONE" : "OPTIONAL");
      // No identity pool: the file must not promise guest (or any) AWS credentials.
      expect(ofType("aws:cognito/identityPool:IdentityPool")).toEqual([]);
      // Deployed apps keep Amplify's default SRP flow, which the app client allows.
      expect(amplify().custom["sign_in"]).toEqual({ auth_flow_type: "USER_SRP_AUTH" });
      expect(client["explicitAuthFlows"]).toContain("ALLOW_USER_SRP_AUTH");
      expect(client["generateSecret"]).toBe(false);
    });

    it("npm run app-config on this stack's `pulumi stack output --json` writes exactly amplifyOutputs", async () => {
      const dir = mkdtempSync(join(tmpdir(), "uaa-app-config-"));
      try {
        const outputsFile = join(dir, "outputs.json");
        writeFileSync(outputsFile, JSON.stringify(outputsOf(), null, 2));
        const err: string[] = [];
        const code = await runAppConfig(["--outputs", outputsFile], { cwd: dir, stdout: () => {}, stderr: (l) => err.push(l) });
        expect(code, err.join("\n")).toBe(0);
        const written: unknown = JSON.parse(readFileSync(join(dir, "amplify_outputs.json"), "utf8"));
        expect(written).toEqual(amplify());
        expect(amplifySchemaErrors(written)).toEqual([]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
