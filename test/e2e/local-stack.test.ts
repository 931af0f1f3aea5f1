/**
 * The whole request path offline: cognito-local, dynalite, the service and the local gateway on
 * free ports; the auth-contract smoke suite must pass every check; then nothing is left running.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountExport } from "../../contract/account";
import type { Note, NoteList } from "../../contract/notes";
import { deleteAccount, exportAccount } from "../../client/account";
import { apiRequest } from "../../client/api";
import { confirmSignUp, login, signUp } from "../../client/cognito-auth";
import { decodePayload } from "../../client/jwt";
import { loadOutputs } from "../../client/outputs";
import { runSmoke } from "../../client/smoke";
import { connectsTo, otherLocalAddresses, reachableOn } from "../helpers/listen-address";
import { isAlive, pathFormsIn, startTestStack, type TestStack } from "./helpers";

describe("local stack e2e", () => {
  let test: TestStack | undefined;
  const serviceLines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    // info: the service's "backend path form" line is what shows which form it received.
    test = await startTestStack({ logLevel: "info", onServiceLine: (l) => void serviceLines.push(l) });
  }, 45_000);

  afterAll(async () => {
    await test?.stop();
  });

  it("writes outputs shaped like `pulumi stack output --json` (+ cognitoEndpoint, serviceUrl)", () => {
    const stack = test!.stack;
    const outputs = loadOutputs(stack.outputsFile);
    expect(Object.keys(outputs).sort()).toEqual(["apiUrl", "cognitoEndpoint", "issuer", "region", "serviceUrl", "tableName", "userPoolClientId", "userPoolId"]);
    expect(outputs.issuer).toBe(`http://localhost:${stack.ports.cognito}/${outputs.userPoolId}`);
  });

  it("passes every check of the auth-contract smoke suite", async () => {
    const results = await runSmoke(loadOutputs(test!.stack.outputsFile));
    const failed = results.filter((r) => !r.ok);
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    // Every check ran, including the local-only proofs (nothing "not run").
    expect(results.length).toBeGreaterThanOrEqual(20);
    expect(results.filter((r) => r.note)).toEqual([]);
    expect(results.filter((r) => r.skipped)).toEqual([]);
    // The default mode: the gateway sends paths unprefixed (stage-prefix.test.ts runs the other).
    expect(test!.stack.stagePrefix).toBe(false);
    expect(pathFormsIn(serviceLines)).toEqual(["unprefixed"]);
  }, 30_000);

  it("the service listens on 127.0.0.1 only: reached through the gateway, not from the network", async () => {
    const port = test!.stack.ports.service;
    expect(await connectsTo("127.0.0.1", port)).toBe(true);
    expect(await reachableOn(otherLocalAddresses(), port)).toEqual([]);
  });

  it("account lifecycle: export has every note; DELETE /me 204; the same token lists nothing and cannot create; the old password fails; signing up again gives a new sub with no notes", async () => {
    const outputs = loadOutputs(test!.stack.outputsFile);
    const email = `lifecycle-${Date.now()}@example.com`;
    const password = "Lifecycle-passw0rd!";
    await signUp(outputs, email, password);
    await confirmSignUp(outputs, email, undefined);
    const { idToken } = await login(outputs, email, password);
    const sub = decodePayload(idToken).sub;
    const call = (method: string, path: string, json?: unknown) => apiRequest(outputs.apiUrl, method, path, { authorization: idToken, json });

    const created: Note[] = [];
    for (const title of ["one", "two", "three"]) created.push((await call("POST", "/notes", { title, body: `${title}'s body` })).body as Note);
    const exported = JSON.parse(await (await exportAccount(outputs.apiUrl, idToken)).text()) as AccountExport;
    expect(exported.profile).toMatchObject({ sub, email });
    expect(exported.notes).toEqual([...created].reverse());

    // Through the gateway and cognito-local: AdminDeleteUser for real.
    expect((await deleteAccount(outputs.apiUrl, idToken, { attempts: 1 })).status).toBe(204);

    // The same, still unexpired id token.
    expect(decodePayload(idToken).exp as number).toBeGreaterThan(Date.now() / 1000);
    const list = await call("GET", "/notes");
    expect(list.status).toBe(200);
    expect((list.body as NoteList).items).toEqual([]);
    const create = await call("POST", "/notes", { title: "after", body: "" });
    expect(create.status).toBe(401);
    expect(create.body).toMatchObject({ error: { code: "unauthorized" } });
    await expect(login(outputs, email, password)).rejects.toThrow(/NotAuthorized|UserNotFound/);

    // The email is free again: a new account, a new sub, nothing of the old one.
    const again = await signUp(outputs, email, password);
    expect(again.userSub).not.toBe(sub);
    await confirmSignUp(outputs, email, undefined);
    const fresh = await login(outputs, email, password);
    expect(decodePayload(fresh.idToken).sub).toBe(again.userSub);
    const freshList = await apiRequest(outputs.apiUrl, "GET", "/notes", { authorization: fresh.idToken });
    expect(freshList.body).toEqual({ items: [], nextCursor: null });
  }, 30_000);

  it("stops every child: no process left behind", async () => {
    const { pids } = test!.stack;
    expect(isAlive(pids.cognito)).toBe(true);
    expect(isAlive(pids.service)).toBe(true);
    const started = Date.now();
    await test!.stop();
    test = undefined;
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(isAlive(pids.cognito)).toBe(false);
    expect(isAlive(pids.service)).toBe(false);
    expect(() => process.kill(pids.service, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
    expect(() => process.kill(pids.cognito, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
  });
});
