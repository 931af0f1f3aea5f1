/**
 * An interrupted deletion resumes. The store is cut off in the middle of the sweep (a TCP proxy in
 * front of DynamoDB Local refuses connections after the second batch of deletes), and Cognito
 * fails: each time DELETE /me answers 503 + Retry-After, keeps what it did on the tombstone, and
 * the repeated request finishes with 204 and nothing left; once done, DELETE /me is 204 again.
 * (Without any repeat, the reaper finishes it: test/account/reaper.test.ts.)
 */
import { randomUUID } from "node:crypto";
import { CognitoIdentityProviderClient } from "@aws-sdk/client-cognito-identity-provider";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isErrorBody } from "../../contract/errors";
import { dynamoAccount } from "../../service/src/account/account";
import { productionTiming, type DeletionTiming } from "../../service/src/account/timing";
import { TOMBSTONE_KEY } from "../../service/src/account/tombstones";
import { CognitoUserDirectory } from "../../service/src/account/user-directory";
import { systemClock } from "../../service/src/clock";
import type { Logger } from "../../service/src/logger";
import { DynamoNoteStore } from "../../service/src/notes/dynamo-store";
import { authHeaders, jsonHeaders, RecordingUsers, silentLogger, testAccount, testApp } from "../helpers/app";
import type { DynamoTransport } from "../../service/src/dynamo/transport";
import { localTransport, startTestTable, type TestTable } from "../helpers/dynamodb";
import { itemsOf, seedNotes, sturdyDoc } from "../helpers/seed-notes";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy";
import { idToken } from "../helpers/tokens";

/**
 * A 6 s lease (so a request works for 3 s at most): a request that could not free its lease (the
 * store was gone) holds it that long, and a repeat meanwhile answers 202.
 */
const timing: DeletionTiming = { ...productionTiming, writeDeadlineMs: 60_000, leaseMs: 6_000 };

let table: TestTable;
/** The test's own view of the table (seeding, raw scans). */
let raw: ReturnType<typeof sturdyDoc>;
beforeAll(async () => {
  table = await startTestTable();
  raw = sturdyDoc(table.endpoint);
});
afterAll(async () => {
  raw.destroy();
  await table.close();
});

/** 503 `unavailable`, a Retry-After in seconds, the contract's JSON error body. */
async function expectRetryLater(res: Response): Promise<void> {
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
  const body: unknown = await res.json();
  expect(isErrorBody(body) && body.error.code).toBe("unavailable");
}

const tombstoneOf = async (sub: string) =>
  (await itemsOf(raw, table.tableName, sub)).find((i) => i.noteId === TOMBSTONE_KEY) as Record<string, unknown> | undefined;

describe("store cut off mid-sweep", () => {
  let proxy: TcpProxy;
  let client: DynamoTransport;

  beforeAll(async () => {
    proxy = await startTcpProxy(Number(new URL(table.endpoint).port));
  });
  afterAll(async () => {
    client?.destroy();
    await proxy.close();
  });

  it("503 + Retry-After with the tombstone kept and part of the notes gone; the retry finishes with 204 and nothing left; again 204", async () => {
    // The service's client settings, through the proxy. After two batches of deletes the proxy
    // starts refusing connections: the store is gone in the middle of step 2.
    let batches = 0;
    client = localTransport(proxy.endpoint, {
      maxAttempts: 2,
      interceptor: async ({ operation }, send) => {
        const out = await send();
        if (operation === "BatchWriteItem" && ++batches === 2) await proxy.refuse();
        return out;
      },
    });
    const doc = client;
    const users = new RecordingUsers();
    const app = testApp(table, {
      store: new DynamoNoteStore(doc, table.tableName),
      account: dynamoAccount({ client: doc, tableName: table.tableName, users, clock: systemClock, logger: silentLogger, timing }),
    });
    const sub = randomUUID();
    const token = idToken(sub);
    // A Query page of 200 keys is deleted as 8 parallel batches: the cut-off falls inside the first page, or just after it.
    await seedNotes(raw, table.tableName, sub, 250);

    await expectRetryLater(await app.request("/me", { method: "DELETE", headers: authHeaders(token) }));
    const partial = await itemsOf(raw, table.tableName, sub);
    const notesLeft = partial.filter((i) => i.noteId !== TOMBSTONE_KEY).length;
    expect(notesLeft).toBeGreaterThan(0);
    expect(notesLeft).toBeLessThan(250);
    const tombstone = await tombstoneOf(sub);
    expect(tombstone).toMatchObject({ requestedAt: expect.any(String), username: sub, pendingDeletion: "pending" });
    expect(tombstone?.notesDeletedAt).toBeUndefined();
    expect(users.deleted).toEqual([]);

    await proxy.restore();
    // Half-deleted: the account already refuses to create anything.
    const refused = await app.request("/notes", { method: "POST", headers: jsonHeaders(token), body: '{"title":"t","body":""}' });
    expect(refused.status).toBe(401);

    // The failed request could not free its lease (the store was gone): repeats answer 202 until
    // it runs out (6 s), as an app that obeys Retry-After would see; then the deletion finishes.
    const statuses: number[] = [];
    while (statuses.at(-1) !== 204 && statuses.length < 20) {
      const res = await app.request("/me", { method: "DELETE", headers: authHeaders(token) });
      statuses.push(res.status);
      if (res.status === 202) await new Promise((r) => setTimeout(r, 500));
    }
    expect(statuses.at(-1)).toBe(204);
    for (const status of statuses.slice(0, -1)) expect(status).toBe(202);
    expect((await itemsOf(raw, table.tableName, sub)).map((i) => i.noteId)).toEqual([TOMBSTONE_KEY]);
    expect(users.deleted).toEqual([sub]);
    // The first request's start stays: a resume never moves it.
    expect((await tombstoneOf(sub))?.requestedAt).toBe(tombstone?.requestedAt);

    expect((await app.request("/me", { method: "DELETE", headers: authHeaders(token) })).status).toBe(204);
    expect(users.deleted).toEqual([sub]);
  });
});

describe("Cognito failing", () => {
  it("503 + Retry-After (cognito_unavailable) after the notes are gone; the retry resumes at AdminDeleteUser and ends 204; again 204", async () => {
    // The real directory over the real SDK client; Cognito answers 500 twice (both attempts of the
    // first request), then says the user does not exist any more (done, as the contract says).
    const cognito = new CognitoIdentityProviderClient({
      region: "local",
      endpoint: "http://127.0.0.1:9",
      credentials: { accessKeyId: "l", secretAccessKey: "l" },
      maxAttempts: 2,
    });
    let calls = 0;
    cognito.middlewareStack.add(
      () => async () => {
        calls++;
        const name = calls <= 2 ? "InternalErrorException" : "UserNotFoundException";
        throw Object.assign(new Error(name), { name, $fault: calls <= 2 ? "server" : "client", $metadata: { httpStatusCode: calls <= 2 ? 500 : 404 } });
      },
      { step: "finalizeRequest", name: "fakeCognito" },
    );
    const logged: Record<string, unknown>[] = [];
    const logger: Logger = {
      ...silentLogger,
      info: ((obj: Record<string, unknown>, msg: string) =>
        void (msg === "request" || msg === "account deleted" ? logged.push({ msg, ...obj }) : 0)) as Logger["info"],
    };
    const account = testAccount(table, { timing, users: new CognitoUserDirectory(() => cognito, "local_pool1"), logger });
    const app = testApp(table, { account, logger });
    const sub = randomUUID();
    const token = idToken(sub);
    await seedNotes(raw, table.tableName, sub, 40);

    const first = await app.request("/me", { method: "DELETE", headers: authHeaders(token) });
    await expectRetryLater(first);
    expect(logged.find((l) => l.msg === "request")).toMatchObject({ status: 503, reason: "cognito_unavailable" });
    expect(calls).toBe(2);
    const tombstone = await tombstoneOf(sub);
    expect(tombstone).toMatchObject({ notesDeletedAt: expect.any(String) });
    expect(tombstone?.userDeletedAt).toBeUndefined();
    expect((await itemsOf(raw, table.tableName, sub)).map((i) => i.noteId)).toEqual([TOMBSTONE_KEY]);

    expect((await app.request("/me", { method: "DELETE", headers: authHeaders(token) })).status).toBe(204);
    expect(calls).toBe(3);
    // Resumed at step 3: step 2's sweep was not run again.
    expect(logged.find((l) => l.msg === "account deleted")).toMatchObject({ sub, by: "request", resumed: true, notesDeleted: 0, lateWrites: 0 });
    expect((await tombstoneOf(sub))?.userDeletedAt).toEqual(expect.any(String));

    expect((await app.request("/me", { method: "DELETE", headers: authHeaders(token) })).status).toBe(204);
    expect(calls).toBe(3);
    cognito.destroy();
  });
});
