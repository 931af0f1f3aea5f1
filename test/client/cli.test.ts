/** The CLI end to end against the local stack: signup → confirm → login → notes add → notes list → me. */
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountExport } from "../../contract/account";
import { runCli } from "../../client/cli-main";
import { tokenFile } from "../../client/token-store";
import { cognitoLocalKey, COGNITO_LOCAL_KID, expiredClaims, resignWith } from "../../client/smoke/forge";
import { startTestStack, type TestStack } from "../e2e/helpers";

describe("CLI against the local stack", () => {
  let test: TestStack;
  let tokensDir: string;

  async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string; raw: string }> {
    const out: string[] = [];
    const err: string[] = [];
    const raw: Buffer[] = [];
    const code = await runCli([...argv, "--outputs", test.stack.outputsFile, "--tokens-dir", tokensDir], {
      stdout: (l) => out.push(l),
      stderr: (l) => err.push(l),
      stdoutRaw: async (chunk) => void raw.push(Buffer.from(chunk)),
    });
    return { code, out: out.join("\n"), err: err.join("\n"), raw: Buffer.concat(raw).toString("utf8") };
  }

  beforeAll(async () => {
    test = await startTestStack();
    tokensDir = join(test.dir, "tokens");
  }, 45_000);

  afterAll(async () => {
    await test?.stop();
  });

  const email = `cli-${Date.now()}@example.com`;
  const password = "Cli-passw0rd!";

  it("refuses API commands before login with one clear line", async () => {
    const r = await cli("me");
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^error: not logged in to http:\/\/localhost:\d+: run `npm run cli -- login/);
    expect(r.err.split("\n")).toHaveLength(1);
  });

  it("signup → confirm → login (tokens 0600) → notes add → notes list → me", async () => {
    expect((await cli("signup", email, password)).code).toBe(0);
    expect((await cli("confirm", email)).out).toContain("confirmed");

    const login = await cli("login", email, password);
    expect(login.code, login.err).toBe(0);
    const file = tokenFile(tokensDir, test.stack.outputs.apiUrl);
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const add = await cli("notes", "add", "First note", "hello from the CLI");
    expect(add.code, add.err).toBe(0);
    const note = JSON.parse(add.out) as { id: string; title: string };
    expect(note.title).toBe("First note");

    const list = await cli("notes", "list");
    expect(list.out).toContain(note.id);
    expect(list.out).toContain("First note");

    const me = await cli("me");
    const body = JSON.parse(me.out) as { email: string; emailVerified: boolean; sub: string };
    expect(body.email).toBe(email);
    expect(body.emailVerified).toBe(true);

    const edit = await cli("notes", "edit", note.id, "--title", "Renamed");
    expect(JSON.parse(edit.out)).toMatchObject({ id: note.id, title: "Renamed", version: 2 });
    expect((await cli("notes", "rm", note.id)).code).toBe(0);
    const gone = await cli("notes", "get", note.id);
    expect(gone).toMatchObject({ code: 1, err: "error: HTTP 404 not_found: Note not found" });
  });

  it("refreshes an expired id token with the refresh token", async () => {
    const file = tokenFile(tokensDir, test.stack.outputs.apiUrl);
    const session = JSON.parse(readFileSync(file, "utf8")) as { idToken: string; expiresAt: number };
    const key = cognitoLocalKey();
    if (!key) throw new Error("cognito-local key not found");
    const claims = expiredClaims();
    writeFileSync(file, JSON.stringify({ ...session, idToken: resignWith(session.idToken, key, COGNITO_LOCAL_KID, claims), expiresAt: claims.exp }));

    const me = await cli("me");
    expect(me.code, me.err).toBe(0);
    const renewed = JSON.parse(readFileSync(file, "utf8")) as { expiresAt: number };
    expect(renewed.expiresAt).toBeGreaterThan(Date.now() / 1000);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("notes list --limit 1 suggests a next-page command that keeps the limit, and that command works", async () => {
    const first = JSON.parse((await cli("notes", "add", "page one")).out) as { id: string };
    const second = JSON.parse((await cli("notes", "add", "page two")).out) as { id: string };
    const page = await cli("notes", "list", "--limit", "1");
    // Newest first: the second note, then a command for the rest.
    expect(page.out).toContain(second.id);
    const more = /^more: npm run cli -- (notes list --limit 1 --cursor \S+)$/m.exec(page.out);
    expect(more, page.out).not.toBeNull();
    const next = await cli(...(more![1] as string).split(" "));
    expect(next.code, next.err).toBe(0);
    expect(next.out).toContain(first.id);
    expect(next.out).not.toContain(second.id);
  });

  it("cognito-local does not enforce the pool's password policy: a 5-character password signs up (docs/local.md says so)", async () => {
    const r = await cli("signup", `weak-${Date.now()}@example.com`, "abcde");
    expect(r.code, r.err).toBe(0);
  });

  it("me export (to a 0600 file, and to stdout); me delete refuses without --yes; me delete --yes deletes the account and forgets the tokens", async () => {
    const note = JSON.parse((await cli("notes", "add", "Exported", "in the export")).out) as { id: string };
    const file = join(test.dir, "export.json");
    const exported = await cli("me", "export", "--out", file);
    expect(exported.code, exported.err).toBe(0);
    expect(exported.out).toMatch(/^exported to .*export\.json \(\d+ bytes\)$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const document = JSON.parse(readFileSync(file, "utf8")) as AccountExport;
    expect(document.profile.email).toBe(email);
    // Every note of the user (earlier tests of this file added some), newest first: the one just added leads.
    const listed = (await cli("notes", "list", "--limit", "100")).out.split("\n").map((line) => line.split(" ")[0]);
    expect(document.notes.map((n) => n.id)).toEqual(listed);
    expect(document.notes[0]?.id).toBe(note.id);
    const toStdout = await cli("me", "export");
    expect(toStdout.code, toStdout.err).toBe(0);
    expect(JSON.parse(toStdout.raw)).toEqual({ ...document, exportedAt: expect.any(String) });

    const tokens = tokenFile(tokensDir, test.stack.outputs.apiUrl);
    expect(await cli("me", "delete")).toMatchObject({
      code: 1,
      err: "error: me delete removes your account and all its notes for good; to go ahead, run: me delete --yes",
    });
    expect(existsSync(tokens)).toBe(true);
    const deleted = await cli("me", "delete", "--yes");
    expect(deleted.code, deleted.err).toBe(0);
    expect(deleted.out).toBe(`account ${email} deleted with all its notes; local tokens removed`);
    expect(existsSync(tokens)).toBe(false);
    expect((await cli("me")).err).toMatch(/^error: not logged in/);
    expect((await cli("login", email, password)).err).toMatch(/^error: login failed: (NotAuthorized|UserNotFound)/);
  });

  it("fails with one line and exit 1 on bad arguments", async () => {
    expect(await cli("notes", "frob")).toMatchObject({ code: 1, err: 'error: unknown command "notes frob" (npm run cli -- --help)' });
    expect((await cli("login", email)).err).toBe("error: missing <password>. Usage: login <email> <password> [--auth srp|password]");
    expect((await cli("notes", "add", "--nope")).err).toMatch(/^error: Unknown option '--nope'/);
    expect(await cli("me", "frob")).toMatchObject({ code: 1, err: 'error: unknown command "me frob" (npm run cli -- --help)' });
  });
});
