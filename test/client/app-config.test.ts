/**
 * `npm run app-config`: writes amplify_outputs.json from a stack's outputs file, valid against
 * Amplify's published schema, and refuses a missing, non-JSON, incomplete or inconsistent file
 * with one line naming the problem.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runAppConfig } from "../../client/app-config";
import { amplifyOutputsFor } from "../../contract/amplify-outputs";
import { amplifySchemaErrors } from "../helpers/amplify-schema";

const deployed = {
  apiUrl: "https://abc123.execute-api.eu-west-2.amazonaws.com/prod",
  region: "eu-west-2",
  userPoolId: "eu-west-2_AbCdEf123",
  userPoolClientId: "4n3xampleclientid0000000000",
  issuer: "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123",
  tableName: "data-notes-1234567",
};
const deployedOutputs = {
  ...deployed,
  amplifyOutputs: amplifyOutputsFor({ ...deployed, mfa: "OPTIONAL" }),
};

describe("npm run app-config", () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "uaa-app-config-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function appConfig(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAppConfig(argv, { cwd: dir, stdout: (l) => out.push(l), stderr: (l) => err.push(l) });
    return { code, out, err };
  }

  function outputsFile(name: string, content: unknown): string {
    const file = join(dir, name);
    writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
    return file;
  }

  it("writes amplify_outputs.json (default --out, in the working directory) equal to the outputs' amplifyOutputs and valid against the schema", async () => {
    const r = await appConfig("--outputs", outputsFile("deployed.json", deployedOutputs));
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.out.join("\n")).toContain(`pool ${deployed.userPoolId}, API ${deployed.apiUrl}, sign-in USER_SRP_AUTH`);
    const written: unknown = JSON.parse(readFileSync(join(dir, "amplify_outputs.json"), "utf8"));
    expect(amplifySchemaErrors(written)).toEqual([]);
    expect(written).toEqual(deployedOutputs.amplifyOutputs);
    expect(written).toMatchObject({
      auth: {
        aws_region: deployed.region,
        user_pool_id: deployed.userPoolId,
        user_pool_client_id: deployed.userPoolClientId,
        mfa_configuration: "OPTIONAL",
        mfa_methods: ["TOTP"],
      },
      custom: { api: { url: deployed.apiUrl, aws_region: deployed.region }, sign_in: { auth_flow_type: "USER_SRP_AUTH" } },
    });
  });

  it("a local stack's outputs (cognitoEndpoint) give the deployed file's shape, USER_SRP_AUTH included, plus the local user-pool endpoint, to --out", async () => {
    const local = {
      ...deployed,
      apiUrl: "http://localhost:3000",
      issuer: "http://localhost:9229/local_abc",
      cognitoEndpoint: "http://localhost:9229",
      serviceUrl: "http://127.0.0.1:8080",
    };
    const file = outputsFile("local.json", {
      ...local,
      amplifyOutputs: amplifyOutputsFor({ ...local, mfa: "OFF", userPoolEndpoint: local.cognitoEndpoint }),
    });
    const r = await appConfig("--outputs", file, "--out", "app.json");
    expect(r.code, r.err.join("\n")).toBe(0);
    const written = JSON.parse(readFileSync(join(dir, "app.json"), "utf8")) as unknown;
    expect(amplifySchemaErrors(written)).toEqual([]);
    expect(written).toMatchObject({
      auth: { mfa_configuration: "NONE", mfa_methods: [] },
      custom: { sign_in: { auth_flow_type: "USER_SRP_AUTH", user_pool_endpoint: "http://localhost:9229" } },
    });
    // Only the endpoint differs from a deployed stack's file for the same pool.
    const { user_pool_endpoint: endpoint, ...signIn } = (written as { custom: { sign_in: Record<string, unknown> } }).custom.sign_in;
    expect(endpoint).toBe("http://localhost:9229");
    expect(signIn).toEqual(amplifyOutputsFor({ ...local, mfa: "OFF" }).custom.sign_in);
  });

  const refusals: Array<[string, () => string[], RegExp]> = [
    ["a missing file", () => ["--outputs", join(dir, "nope.json")], /^app-config: cannot read outputs file .*nope\.json \(start the local stack/],
    ["a file that is not JSON", () => ["--outputs", outputsFile("bad.json", "{not json")], /^app-config: .*bad\.json is not JSON$/],
    [
      "a missing stack output",
      () => ["--outputs", outputsFile("partial.json", { ...deployedOutputs, userPoolClientId: undefined })],
      /missing key "userPoolClientId"/,
    ],
    [
      "outputs without amplifyOutputs (an older stack)",
      () => ["--outputs", outputsFile("old.json", deployed)],
      /missing key "amplifyOutputs" \(outputs of a stack deployed before that output existed: `pulumi up`/,
    ],
    [
      "an amplifyOutputs of another shape",
      () => ["--outputs", outputsFile("shape.json", { ...deployedOutputs, amplifyOutputs: { ...deployedOutputs.amplifyOutputs, version: "1.4" } })],
      /key "amplifyOutputs\.version": /,
    ],
    [
      "an amplifyOutputs naming another pool",
      () => ["--outputs", outputsFile("mixed.json", { ...deployedOutputs, userPoolId: "eu-west-2_Other" })],
      /the outputs disagree .*amplifyOutputs\.auth\.user_pool_id is "eu-west-2_AbCdEf123", the outputs say "eu-west-2_Other"/,
    ],
    [
      "an --out in a missing directory",
      () => ["--outputs", outputsFile("ok.json", deployedOutputs), "--out", join(dir, "no", "such", "dir.json")],
      /^app-config: cannot write .*dir\.json: ENOENT$/,
    ],
    ["an unknown flag", () => ["--output", "x.json"], /^app-config: Unknown option '--output'/],
    ["a stray argument", () => ["outputs.json"], /^app-config: unexpected argument "outputs\.json" \(see --help\)$/],
  ];

  it.each(refusals)("refuses %s with one line on stderr, exit 1", async (_name, argv, message) => {
    const r = await appConfig(...argv());
    expect(r.code).toBe(1);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(message);
  });

  it("--help prints the usage", async () => {
    const r = await appConfig("--help");
    expect(r.code).toBe(0);
    expect(r.out.join("\n")).toMatch(/^usage: npm run app-config -- \[--outputs <file>\] \[--out <file>\]/);
  });
});
