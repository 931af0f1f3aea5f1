/**
 * On one local stack, the amplify_outputs.json it writes validates against Amplify's published
 * schema, says what cognito-local's pool really is, and Amplify JS v6 configured from it — exactly as
 * docs/local.md tells an app to, with signIn's default flow (USER_SRP_AUTH, answered by the local
 * user-pool endpoint) — signs in and gets 200 from /me with the id token. Also the local gateway's
 * /openapi.json and /docs. One stack for the file: the checks share it.
 */
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { AdminGetUserCommand, DescribeUserPoolClientCommand, DescribeUserPoolCommand, UpdateUserPoolCommand } from "@aws-sdk/client-cognito-identity-provider";
import { Amplify } from "aws-amplify";
import { fetchAuthSession, signIn, signOut } from "aws-amplify/auth";
import { cognitoUserPoolsTokenProvider } from "aws-amplify/auth/cognito";
import { parseAmplifyConfig, type KeyValueStorageInterface } from "aws-amplify/utils";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAppConfig } from "../../client/app-config";
import { amplifyOutputsSchema, type AmplifyOutputs } from "../../contract/amplify-outputs";
import { buildOpenApiDocument, type JsonObject } from "../../contract/openapi/document";
import { OPENAPI_FILE } from "../../contract/openapi/write";
import { bootstrapCognito, localPoolSettings } from "../../local/cognito/bootstrap";
import { MemoryStorage } from "../../client/srp-sign-in";
import { localCognitoClient } from "../../local/cognito/client";
import { DEFAULT_POOL_NAME } from "../../local/settings";
import { amplifySchemaErrors } from "../helpers/amplify-schema";
import { startTestStack, type TestStack } from "./helpers";

/**
 * What a local app does with amplify_outputs.json (docs/local.md): parse it, point Amplify at the
 * local user-pool endpoint when the file names one, configure, keep tokens in the app's storage.
 */
function configureAmplify(outputs: AmplifyOutputs, storage: KeyValueStorageInterface): void {
  const config = parseAmplifyConfig(outputs);
  // Only the local stack's file names an endpoint; deployed apps use Cognito's.
  const endpoint = outputs.custom.sign_in.user_pool_endpoint;
  if (endpoint && config.Auth) config.Auth.Cognito.userPoolEndpoint = endpoint;
  Amplify.configure(config);
  // After configure, which resets the token provider's storage to its default.
  cognitoUserPoolsTokenProvider.setKeyValueStorage(storage);
}

/**
 * The AuthFlow of every InitiateAuth sent to `endpoint` while recording (Amplify calls the global
 * fetch; so does the in-process SRP front for its own calls to cognito-local, on another port).
 */
function recordAuthFlows(endpoint: string): { seen: string[]; stop: () => void } {
  const seen: string[] = [];
  const original = globalThis.fetch;
  globalThis.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const target = new Headers(init?.headers).get("x-amz-target");
    if (url.startsWith(endpoint) && target?.endsWith(".InitiateAuth") && typeof init?.body === "string") {
      seen.push((JSON.parse(init.body) as { AuthFlow: string }).AuthFlow);
    }
    return original(input, init);
  };
  return {
    seen,
    stop: () => {
      globalThis.fetch = original;
    },
  };
}

let test: TestStack;
let outputs: AmplifyOutputs;

beforeAll(async () => {
  test = await startTestStack();
  outputs = amplifyOutputsSchema.parse(JSON.parse(readFileSync(test.stack.amplifyOutputsFile, "utf8")));
}, 60_000);

afterAll(async () => {
  await test?.stop();
});

describe("amplify_outputs.json on the local stack, consumed by Amplify JS v6", () => {
  it("validates against the published schema and is the outputs file's amplifyOutputs; app-config writes the same", async () => {
    expect(amplifySchemaErrors(outputs)).toEqual([]);
    const stackOutputs = JSON.parse(readFileSync(test.stack.outputsFile, "utf8")) as Record<string, unknown>;
    expect(stackOutputs["amplifyOutputs"]).toEqual(outputs);
    const out = join(test.dir, "app", "amplify_outputs.json");
    const err: string[] = [];
    mkdirSync(join(test.dir, "app"));
    const code = await runAppConfig(["--outputs", test.stack.outputsFile, "--out", out], { stdout: () => {}, stderr: (l) => err.push(l) });
    expect(code, err.join("\n")).toBe(0);
    expect(readFileSync(out, "utf8")).toBe(readFileSync(test.stack.amplifyOutputsFile, "utf8"));
  });

  it("says what cognito-local's pool and client really are (DescribeUserPool / DescribeUserPoolClient)", async () => {
    const o = test.stack.outputs;
    const cognito = localCognitoClient(o.cognitoEndpoint, o.region);
    try {
      const pool = (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: o.userPoolId }))).UserPool!;
      const client = (await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: o.userPoolId, ClientId: o.userPoolClientId }))).UserPoolClient!;
      const policy = pool.Policies!.PasswordPolicy!;
      expect(outputs.auth).toEqual({
        aws_region: o.region,
        user_pool_id: pool.Id,
        user_pool_client_id: client.ClientId,
        password_policy: {
          min_length: policy.MinimumLength,
          require_numbers: policy.RequireNumbers,
          require_lowercase: policy.RequireLowercase,
          require_uppercase: policy.RequireUppercase,
          require_symbols: policy.RequireSymbols,
        },
        standard_required_attributes: [],
        username_attributes: pool.UsernameAttributes,
        user_verification_types: pool.AutoVerifiedAttributes,
        unauthenticated_identities_enabled: false,
        mfa_configuration: pool.MfaConfiguration === "OFF" ? "NONE" : pool.MfaConfiguration,
        mfa_methods: [],
      });
      expect(outputs.custom).toEqual({
        api: { url: o.apiUrl, aws_region: o.region },
        sign_in: { auth_flow_type: "USER_SRP_AUTH", user_pool_endpoint: o.cognitoEndpoint },
      });
      expect(client.ExplicitAuthFlows).toContain("ALLOW_USER_SRP_AUTH");
    } finally {
      cognito.destroy();
    }
  });

  it("a pool left by an older version (8-character policy, no symbols) is brought back to these settings on the next start", async () => {
    const o = test.stack.outputs;
    const cognito = localCognitoClient(o.cognitoEndpoint, o.region);
    const policy = async () => (await cognito.send(new DescribeUserPoolCommand({ UserPoolId: o.userPoolId }))).UserPool?.Policies?.PasswordPolicy;
    try {
      await cognito.send(
        new UpdateUserPoolCommand({
          UserPoolId: o.userPoolId,
          AutoVerifiedAttributes: ["email"],
          Policies: { PasswordPolicy: { MinimumLength: 8, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: false } },
        }),
      );
      expect((await policy())?.MinimumLength).toBe(8);
      const ids = { userPoolId: o.userPoolId, userPoolClientId: o.userPoolClientId };
      expect(await bootstrapCognito(cognito, DEFAULT_POOL_NAME, ids)).toEqual({ ...ids, created: false });
      expect(await policy()).toEqual(localPoolSettings.Policies.PasswordPolicy);
      expect(outputs.auth.password_policy).toMatchObject({ min_length: localPoolSettings.Policies.PasswordPolicy.MinimumLength, require_symbols: true });
    } finally {
      cognito.destroy();
    }
  });

  it("Amplify.configure from it, signIn with its default flow (no authFlowType: USER_SRP_AUTH), fetchAuthSession → /me answers 200 with that user's sub", async () => {
    const storage = new MemoryStorage();
    configureAmplify(outputs, storage);
    const { demoUser } = test.stack;
    const flows = recordAuthFlows(test.stack.outputs.cognitoEndpoint);

    const result = await signIn({ username: demoUser.email, password: demoUser.password }).finally(flows.stop);
    expect(flows.seen).toEqual(["USER_SRP_AUTH"]);
    expect(result.isSignedIn).toBe(true);
    // The tokens went through the app's storage, not around it.
    expect([...storage.items.keys()].some((k) => k.endsWith(".idToken"))).toBe(true);

    const session = await fetchAuthSession();
    const idToken = session.tokens?.idToken;
    if (!idToken) throw new Error("fetchAuthSession returned no id token");
    const sub = idToken.payload.sub;

    const res = await fetch(`${outputs.custom.api.url}/me`, { headers: { Authorization: idToken.toString() } });
    expect(res.status).toBe(200);
    const me = (await res.json()) as { sub: string; email: string };
    expect(me.sub).toBe(sub);
    expect(me.email).toBe(demoUser.email);

    // The same sub as the pool's own record of the user.
    const o = test.stack.outputs;
    const cognito = localCognitoClient(o.cognitoEndpoint, o.region);
    try {
      const user = await cognito.send(new AdminGetUserCommand({ UserPoolId: o.userPoolId, Username: demoUser.email }));
      expect(user.UserAttributes?.find((a) => a.Name === "sub")?.Value).toBe(me.sub);
    } finally {
      cognito.destroy();
    }
    await signOut();
  });

  it("Amplify's default sign-in with a wrong password fails with NotAuthorizedException (Cognito's message), and leaves no one signed in", async () => {
    const storage = new MemoryStorage();
    configureAmplify(outputs, storage);
    const { demoUser } = test.stack;
    const err = await signIn({ username: demoUser.email, password: "Wrong-passw0rd!" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe("NotAuthorizedException");
    expect((err as Error).message).toBe("Incorrect username or password.");
    expect([...storage.items.keys()].some((k) => k.endsWith(".idToken"))).toBe(false);
    // An unknown user: the same answer (user-existence errors prevented, as the deployed client).
    const unknown = await signIn({ username: "nobody@example.com", password: demoUser.password }).catch((e: unknown) => e);
    expect([(unknown as Error).name, (unknown as Error).message]).toEqual(["NotAuthorizedException", "Incorrect username or password."]);
  });
});

describe("the local gateway serves the API docs (local only)", () => {
  it("GET /openapi.json: the generated document (= the committed openapi.json), this gateway first in servers, no token needed", async () => {
    const res = await fetch(`${test.stack.outputs.apiUrl}/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const served = (await res.json()) as JsonObject;
    const servers = served["servers"] as JsonObject[];
    expect(servers[0]).toEqual({ url: "/", description: "This local gateway" });
    const generated = buildOpenApiDocument();
    expect({ ...served, servers: servers.slice(1) }).toEqual(generated);
    expect(generated).toEqual(JSON.parse(readFileSync(OPENAPI_FILE, "utf8")));
  });

  it("GET /docs: Swagger UI from node_modules (page, script, style), nothing from a CDN", async () => {
    const base = test.stack.outputs.apiUrl;
    const page = await fetch(`${base}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('url: "/openapi.json"');
    expect(html).toContain('<script src="/docs/swagger-ui-bundle.js">');
    expect(html, "the page loads nothing from another origin").not.toMatch(/(src|href)="(https?:)?\/\//);

    const dist = dirname(createRequire(__filename).resolve("swagger-ui-dist/package.json"));
    for (const [asset, type] of [
      ["swagger-ui-bundle.js", /^text\/javascript/],
      ["swagger-ui-standalone-preset.js", /^text\/javascript/],
      ["swagger-ui.css", /^text\/css/],
    ] as const) {
      const res = await fetch(`${base}/docs/${asset}`);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get("content-type"), asset).toMatch(type);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(dist, asset))), asset).toBe(true);
    }
  });

  it("serves nothing else of node_modules, and the API still wants a token", async () => {
    const base = test.stack.outputs.apiUrl;
    for (const path of ["/docs/index.js", "/docs/package.json", "/docs/..%2Fpackage.json", "/docs/swagger-initializer.js"]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toEqual({ error: { code: "not_found", message: "Missing Authentication Token" } });
    }
    expect((await fetch(`${base}/me`)).status).toBe(401);
    expect((await fetch(`${base}/openapi.json`, { method: "POST" })).status).toBe(404);
  });
});
