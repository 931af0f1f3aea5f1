/**
 * A local stack started in prod's shape — its app client allows USER_SRP_AUTH and refresh only, no
 * USER_PASSWORD_AUTH — behaves as such a deployed stack does: the password flow is refused with
 * Cognito's message, while the CLI's login and the whole auth-contract smoke suite sign in with SRP
 * (as the app does) and pass.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DescribeUserPoolClientCommand } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../client/cli-main";
import { login } from "../../client/cognito-auth";
import { decodePayload } from "../../client/jwt";
import { loadOutputs } from "../../client/outputs";
import { runSmoke } from "../../client/smoke";
import { localCognitoClient } from "../../local/cognito/client";
import { startTestStack, type TestStack } from "./helpers";

let test: TestStack;
let tokensDir: string;

beforeAll(async () => {
  test = await startTestStack({ passwordAuth: false });
  tokensDir = mkdtempSync(join(tmpdir(), "uaa-prod-shape-tokens-"));
}, 60_000);

afterAll(async () => {
  await test?.stop();
  if (tokensDir) rmSync(tokensDir, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, "--outputs", test.stack.outputsFile, "--tokens-dir", tokensDir], {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
  });
  return { code, out, err };
}

describe("local stack in prod's shape (password auth off on the app client)", () => {
  it("the app client allows SRP and refresh only, and USER_PASSWORD_AUTH is refused with Cognito's InvalidParameterException", async () => {
    const o = test.stack.outputs;
    const cognito = localCognitoClient(o.cognitoEndpoint, o.region);
    try {
      const client = await cognito.send(new DescribeUserPoolClientCommand({ UserPoolId: o.userPoolId, ClientId: o.userPoolClientId }));
      expect([...(client.UserPoolClient?.ExplicitAuthFlows ?? [])].sort()).toEqual(["ALLOW_REFRESH_TOKEN_AUTH", "ALLOW_USER_SRP_AUTH"]);
    } finally {
      cognito.destroy();
    }
    const { demoUser } = test.stack;
    await expect(login(loadOutputs(test.stack.outputsFile), demoUser.email, demoUser.password, "password")).rejects.toThrow(
      "login failed: InvalidParameterException: USER_PASSWORD_AUTH flow not enabled for this client",
    );
    const refused = await cli("login", demoUser.email, demoUser.password, "--auth", "password");
    expect(refused).toMatchObject({ code: 1, err: ["error: login failed: InvalidParameterException: USER_PASSWORD_AUTH flow not enabled for this client"] });
  });

  it("the CLI's login signs in with USER_SRP_AUTH; `me` and `token` then work with the saved tokens", async () => {
    const { demoUser } = test.stack;
    const login = await cli("login", demoUser.email, demoUser.password);
    expect(login.code, login.err.join("\n")).toBe(0);
    expect(login.out[0]).toMatch(new RegExp(`^logged in as ${demoUser.email} \\(USER_SRP_AUTH\\); id token valid until `));
    const me = await cli("me");
    expect(me.code, me.err.join("\n")).toBe(0);
    const body = JSON.parse(me.out.join("\n")) as { sub: string; email: string };
    expect(body.email).toBe(demoUser.email);
    const token = await cli("token");
    expect(decodePayload(token.out[0] ?? "").sub).toBe(body.sub);
  });

  it("the CLI's login with a wrong password fails with Cognito's NotAuthorizedException", async () => {
    const wrong = await cli("login", test.stack.demoUser.email, "Wrong-passw0rd!");
    expect(wrong).toMatchObject({ code: 1, err: ["error: login failed: NotAuthorizedException: Incorrect username or password."] });
    expect((await cli("login", test.stack.demoUser.email, "x", "--auth", "magic")).err).toEqual(['error: --auth must be srp or password, got "magic"']);
  });

  it("passes every check of the auth-contract smoke suite, its users signing in with USER_SRP_AUTH", async () => {
    const results = await runSmoke(loadOutputs(test.stack.outputsFile));
    const failed = results.filter((r) => !r.ok);
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(20);
    expect(results.filter((r) => r.skipped)).toEqual([]);
    expect(results.slice(0, 2).map((r) => r.name)).toEqual(["user A: sign up / sign in (USER_SRP_AUTH)", "user B: sign up / sign in (USER_SRP_AUTH)"]);
  }, 60_000);

  it("the smoke suite asked for USER_PASSWORD_AUTH on this stack fails at sign-in, naming the flow and Cognito's refusal", async () => {
    const results = await runSmoke(loadOutputs(test.stack.outputsFile), { flow: "password" });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ name: "user A: sign up / sign in (USER_PASSWORD_AUTH)", ok: false });
    expect(results[0]?.detail).toContain("USER_PASSWORD_AUTH flow not enabled for this client");
  }, 30_000);
});
