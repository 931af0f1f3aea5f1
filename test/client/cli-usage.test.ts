/**
 * The CLI without a running stack: one "cannot reach …" style for the user pool and the API
 * (login once printed `Error: connect ECONNREFUSED 127.0.0.1:9229`), and a command group
 * named alone lists its subcommands.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../client/cli-main";
import { saveSession } from "../../client/token-store";
import { reservePort } from "../../local/ports";
import { PORT_SETTINGS } from "../../local/settings";

let dir: string;
let outputsFile: string;
let apiUrl: string;
let cognitoEndpoint: string;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli([...argv, "--outputs", outputsFile, "--tokens-dir", join(dir, "tokens")], {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "uaa-cli-down-"));
  // Ports that were free a moment ago and nothing listens on: the local stack, stopped.
  apiUrl = `http://localhost:${await reservePort(0, PORT_SETTINGS.gateway)}`;
  cognitoEndpoint = `http://127.0.0.1:${await reservePort(0, PORT_SETTINGS.cognito)}`;
  outputsFile = join(dir, "outputs.local.json");
  const poolId = "local_StackDown";
  writeFileSync(
    outputsFile,
    JSON.stringify({
      apiUrl,
      region: "us-east-1",
      userPoolId: poolId,
      userPoolClientId: "client",
      issuer: `${cognitoEndpoint}/${poolId}`,
      tableName: "notes",
      cognitoEndpoint,
      serviceUrl: "http://127.0.0.1:1",
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("CLI with the local stack down: one message style, one line, exit 1", () => {
  it("login names the user pool it cannot reach and how to start it", async () => {
    const r = await cli("login", "demo@example.com", "Demo-passw0rd!");
    expect(r).toMatchObject({ code: 1, out: "" });
    expect(r.err).toBe(`error: cannot reach the user pool at ${cognitoEndpoint} (is \`npm run dev\` running?)`);
  });

  it("signup too", async () => {
    const r = await cli("signup", "new@example.com", "Passw0rd!");
    expect(r.err).toBe(`error: cannot reach the user pool at ${cognitoEndpoint} (is \`npm run dev\` running?)`);
  });

  it("an API command (me, with a saved session) names the API it cannot reach", async () => {
    saveSession(join(dir, "tokens"), {
      email: "a@example.com",
      apiUrl,
      idToken: "x.y.z",
      accessToken: "a",
      refreshToken: "r",
      expiresAt: Math.floor(Date.now() / 1000) + 3600,
    });
    const r = await cli("me");
    expect(r).toMatchObject({ code: 1, out: "" });
    expect(r.err).toBe(`error: cannot reach the API at ${apiUrl} (is \`npm run dev\` running?)`);
  });
});

describe("CLI usage", () => {
  it("`notes` alone lists its subcommands", async () => {
    expect(await cli("notes")).toMatchObject({ code: 1, out: "", err: 'error: "notes" needs a subcommand: list, add, get, edit, rm (npm run cli -- --help)' });
  });
});
