/**
 * DELETE /me through the app on DynamoDB Local (Cognito's part recorded by a test directory; the
 * e2e tests use cognito-local): the order of the steps, what a still-valid token can do afterwards,
 * the tombstone never read as a note, resuming, the lease between concurrent requests, and 202 when
 * the budget runs out.
 */
import { randomUUID } from "node:crypto";
import { GetCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountExport } from "../../contract/account";
import type { Note, NoteList } from "../../contract/notes";
import { TOMBSTONE_KEY, Tombstones } from "../../service/src/account/tombstones";
import {
  DELETION_COMPLETES_WITHIN_MS,
  GATEWAY_TIMEOUT_MS,
  DEFAULT_REAPER_PERIOD_MS,
  productionTiming,
  reapedWithinMs,
  runBudgetMs,
  type DeletionTiming,
} from "../../service/src/account/timing";
import type { UserDirectory } from "../../service/src/account/user-directory";
import { Deadline } from "../../service/src/deadline";
import type { Logger } from "../../service/src/logger";
import { authHeaders, jsonHeaders, jsonOf, listAll, pendingTiming, RecordingUsers, silentLogger, testAccount, testApp, type TestApp } from "../helpers/app";
import { startTestTable, type TestTable } from "../helpers/dynamodb";
import { itemsOf, seedNotes, sturdyDoc } from "../helpers/seed-notes";
import { idToken } from "../helpers/tokens";

const timing: DeletionTiming = { ...productionTiming, writeDeadlineMs: 60_000 };

let table: TestTable;
/** The test's own view of the table (seeding, raw scans). */
let raw: ReturnType<typeof sturdyDoc>;
let users: RecordingUsers;
let app: TestApp;
const logged: { obj: Record<string, unknown>; msg: string }[] = [];
const logger: Logger = {
  ...silentLogger,
  info: ((obj: Record<string, unknown>, msg: string) => void logged.push({ obj, msg })) as Logger["info"],
};

beforeAll(async () => {
  table = await startTestTable();
  raw = sturdyDoc(table.endpoint);
  users = new RecordingUsers();
  app = testApp(table, { account: testAccount(table, { timing, users, logger }), logger });
});
afterAll(async () => {
  raw.destroy();
  await table.close();
});

const create = (token: string, title: string) =>
  app.request("/notes", { method: "POST", headers: jsonHeaders(token), body: JSON.stringify({ title, body: "" }) });

describe("DELETE /me", () => {
  it("deletes every note, then the Cognito user, then sweeps once more and answers 204; the tombstone is all that is left, out of the pending index", async () => {
    const sub = randomUUID();
    const username = `user-${sub.slice(0, 8)}`;
    const token = idToken(sub, { "cognito:username": username });
    await seedNotes(raw, table.tableName, sub, 130);
    expect(await listAll(app, token)).toHaveLength(130);
    // What the partition held when AdminDeleteUser ran: the notes are gone before the user is.
    const heldAtUserDeletion: string[][] = [];
    const watching: UserDirectory = {
      async deleteUser(name, signal) {
        heldAtUserDeletion.push((await itemsOf(raw, table.tableName, sub)).map((i) => i.noteId as string));
        await users.deleteUser(name, signal);
      },
    };
    const watched = testApp(table, { account: testAccount(table, { timing, users: watching, logger }), logger });

    const res = await watched.request("/me", { method: "DELETE", headers: authHeaders(token) });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe("");
    expect(users.deleted).toEqual([username]);
    expect(heldAtUserDeletion).toEqual([[TOMBSTONE_KEY]]);

    const left = await itemsOf(raw, table.tableName, sub);
    expect(left.map((i) => i.noteId)).toEqual([TOMBSTONE_KEY]);
    const tombstone = left[0] as Record<string, unknown>;
    for (const step of ["requestedAt", "notesDeletedAt", "userDeletedAt", "completedAt"]) expect(tombstone[step], step).toEqual(expect.any(String));
    expect(tombstone.username).toBe(username);
    // Finished: no longer in the reaper's index, no lease.
    for (const attribute of ["pendingDeletion", "leaseOwner", "leaseUntil"]) expect(tombstone[attribute], attribute).toBeUndefined();
    // TTL: the last id token's longest life (24 h) plus an hour after the user went.
    const ttl = tombstone.expiresAt as number;
    const userDeletedAt = Date.parse(tombstone.userDeletedAt as string) / 1000;
    expect(ttl - userDeletedAt).toBeGreaterThanOrEqual(25 * 3600 - 1);
    expect(ttl - userDeletedAt).toBeLessThanOrEqual(25 * 3600 + 1);
    expect(logged.find((l) => l.msg === "account deleted")?.obj).toMatchObject({ sub, by: "request", notesDeleted: 130, lateWrites: 0, resumed: false });
  });

  it("the same still-valid token afterwards: list empty, get 404, export empty, create 401 (account_deleted); DELETE /me 204 again at once", async () => {
    const sub = randomUUID();
    const token = idToken(sub);
    const note = await jsonOf<Note>(await create(token, "to be deleted"));
    expect((await app.request("/me", { method: "DELETE", headers: authHeaders(token) })).status).toBe(204);

    expect(await jsonOf<NoteList>(await app.request("/notes", { headers: authHeaders(token) }))).toEqual({ items: [], nextCursor: null });
    expect((await app.request(`/notes/${note.id}`, { headers: authHeaders(token) })).status).toBe(404);
    const exported = await jsonOf<AccountExport>(await app.request("/me/export", { headers: authHeaders(token) }));
    expect(exported.notes).toEqual([]);
    expect(exported.profile.sub).toBe(sub);

    logged.length = 0;
    const refused = await create(token, "after deletion");
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: { code: "unauthorized", message: "Unauthorized" } });
    expect(logged.find((l) => l.msg === "request")?.obj).toMatchObject({ status: 401, reason: "account_deleted", sub });
    expect((await itemsOf(raw, table.tableName, sub)).map((i) => i.noteId)).toEqual([TOMBSTONE_KEY]);

    logged.length = 0;
    expect((await app.request("/me", { method: "DELETE", headers: authHeaders(token) })).status).toBe(204);
    // Done is done: no second run, no second AdminDeleteUser.
    expect(logged.find((l) => l.msg === "account deleted")).toBeUndefined();
    expect(users.deleted.filter((u) => u === sub)).toHaveLength(1);
  });

  it("never shows the tombstone as a note: not in a listing, a cursor page, an export or GET /notes/{id}; pages keep their size", async () => {
    // Mid-deletion: the tombstone is written, the notes are still there.
    const sub = randomUUID();
    const token = idToken(sub);
    await seedNotes(raw, table.tableName, sub, 7);
    await new Tombstones(table.dynamo, table.tableName).begin(sub, sub, { owner: "test", leaseMs: 60_000 }, Date.now(), Deadline.after(5_000));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: NoteList = await jsonOf<NoteList>(await app.request(`/notes?limit=3${cursor ? `&cursor=${cursor}` : ""}`, { headers: authHeaders(token) }));
      // 3, 3, 1: a filtered-out item would shrink a page.
      expect(page.items.length).toBe(seen.length === 6 ? 1 : 3);
      seen.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(seen).not.toContain(TOMBSTONE_KEY);
    const exported = await jsonOf<AccountExport>(await app.request("/me/export", { headers: authHeaders(token) }));
    expect(exported.notes.map((n) => n.id)).toEqual(seen);
    for (const id of [TOMBSTONE_KEY, encodeURIComponent(TOMBSTONE_KEY)]) {
      expect((await app.request(`/notes/${id}`, { headers: authHeaders(token) })).status).toBe(404);
      expect((await app.request(`/notes/${id}`, { method: "DELETE", headers: authHeaders(token) })).status).toBe(404);
    }
    // And creates are refused from the moment it exists.
    const refused = await create(token, "during deletion");
    expect(refused.status, await refused.clone().text()).toBe(401);
    const stored = await raw.send(new GetCommand({ TableName: table.tableName, Key: { userId: sub, noteId: TOMBSTONE_KEY } }));
    expect(stored.Item?.requestedAt).toEqual(expect.any(String));
  });

  it("a budget that runs out answers 202 + Retry-After with progress kept and the lease freed; the repeat finishes with 204", async () => {
    const sub = randomUUID();
    const token = idToken(sub);
    await seedNotes(raw, table.tableName, sub, 10);
    // A commit margin (5 s) longer than the budget (3 s, ample for the rest): the request stops before the final sweep.
    const short = testApp(table, { account: testAccount(table, { timing: pendingTiming, users }) });
    const first = await short.request("/me", { method: "DELETE", headers: authHeaders(token) });
    expect(first.status).toBe(202);
    expect(Number(first.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(first.headers.get("retry-after"))).toBeLessThanOrEqual(5);
    expect(await first.json()).toEqual({ status: "deleting", message: expect.stringContaining("repeat DELETE /me") });
    const tombstone = (await itemsOf(raw, table.tableName, sub)).find((i) => i.noteId === TOMBSTONE_KEY) as Record<string, unknown>;
    expect(tombstone).toMatchObject({ notesDeletedAt: expect.any(String), userDeletedAt: expect.any(String), pendingDeletion: "pending", leaseUntil: 0 });
    expect(tombstone.completedAt).toBeUndefined();
    expect(tombstone.leaseOwner).toBeUndefined();

    // The repeat takes the freed lease at once and goes straight to the final sweep.
    expect((await app.request("/me", { method: "DELETE", headers: authHeaders(token) })).status).toBe(204);
    expect((await itemsOf(raw, table.tableName, sub)).map((i) => i.noteId)).toEqual([TOMBSTONE_KEY]);
  });

  it("two DELETE /me at once: one runs the deletion, the other answers 202 without touching it; the repeat answers 204", async () => {
    const sub = randomUUID();
    const token = idToken(sub);
    await seedNotes(raw, table.tableName, sub, 20);
    // AdminDeleteUser held until the second request has answered: the first holds the lease meanwhile.
    let letGo: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    let calls = 0;
    const slowUsers: UserDirectory = {
      async deleteUser(name, signal) {
        calls++;
        await held;
        await users.deleteUser(name, signal);
      },
    };
    const slowApp = testApp(table, { account: testAccount(table, { timing, users: slowUsers, logger }), logger });
    const first = slowApp.request("/me", { method: "DELETE", headers: authHeaders(token) });
    while (calls === 0) await new Promise((r) => setTimeout(r, 5));

    const second = await slowApp.request("/me", { method: "DELETE", headers: authHeaders(token) });
    expect(second.status).toBe(202);
    expect(Number(second.headers.get("retry-after"))).toBeLessThanOrEqual(5);
    expect(calls).toBe(1);

    letGo();
    expect((await first).status).toBe(204);
    expect((await slowApp.request("/me", { method: "DELETE", headers: authHeaders(token) })).status).toBe(204);
    expect(calls).toBe(1);
    expect((await itemsOf(raw, table.tableName, sub)).map((i) => i.noteId)).toEqual([TOMBSTONE_KEY]);
  });
});

describe("timing (account/timing.ts)", () => {
  it("production: a request works at most 20 s, half its lease, well before API Gateway's 29 s; a failed deletion is finished within 15 minutes", () => {
    const budget = runBudgetMs(productionTiming.leaseMs, productionTiming.budgetMs);
    expect(budget).toBeLessThanOrEqual(20_000);
    expect(budget).toBeLessThanOrEqual(productionTiming.leaseMs / 2);
    expect(budget).toBeLessThan(GATEWAY_TIMEOUT_MS - 5_000);
    expect(reapedWithinMs(DEFAULT_REAPER_PERIOD_MS, productionTiming.leaseMs)).toBeLessThanOrEqual(DELETION_COMPLETES_WITHIN_MS);
    // The commit margin is short: no caller waits seconds for it.
    expect(productionTiming.commitMarginMs).toBeLessThanOrEqual(500);
  });
});
