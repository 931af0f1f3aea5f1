import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Note } from "../../contract/notes";
import { Tombstones, AccountDeletedError } from "../../service/src/account/tombstones";
import { Deadline } from "../../service/src/deadline";
import { createToken, createTransaction } from "../../service/src/notes/create-transaction";
import { DynamoNoteStore } from "../../service/src/notes/dynamo-store";
import { newNoteId } from "../../service/src/notes/note-id";
import { NoteExistsError, NoteNotFoundError, StoreUnavailableError, VersionConflictError } from "../../service/src/notes/store";
import { authHeaders, testApp } from "../helpers/app";
import { localTransport, startTestTable, type TestTable } from "../helpers/dynamodb";
import { startDynamoStandIn } from "../helpers/dynamo-stand-in";
import { idToken } from "../helpers/tokens";

let table: TestTable;
let store: DynamoNoteStore;

beforeAll(async () => {
  table = await startTestTable();
  store = new DynamoNoteStore(table.dynamo, table.tableName);
});
afterAll(() => table.close());

function note(title: string): Note {
  const now = new Date().toISOString();
  return { id: newNoteId(), title, body: "", createdAt: now, updatedAt: now, version: 1 };
}

describe("DynamoNoteStore on DynamoDB Local", () => {
  it("creates once: the same note again is the same request (idempotent), another note with its id is refused", async () => {
    const n = note("once");
    await store.create("u-create", n);
    await store.create("u-create", n);
    await expect(store.create("u-create", { ...n, title: "another" })).rejects.toBeInstanceOf(NoteExistsError);
    expect(await store.get("u-create", n.id)).toEqual(n);
    expect((await store.list("u-create", 10, undefined)).items).toEqual([n]);
    // Same note id, other user: a separate item.
    await store.create("u-other", n);
    expect(await store.get("u-other", n.id)).toEqual(n);
  });

  it("creates in one transaction with the tombstone check: refused (AccountDeletedError) once the tombstone exists, nothing written", async () => {
    const sub = "u-tombstone";
    const before = note("before");
    await store.create(sub, before);
    await new Tombstones(table.dynamo, table.tableName).begin(sub, sub, { owner: "test", leaseMs: 60_000 }, Date.now(), Deadline.after(5_000));
    const after = note("after");
    await expect(store.create(sub, after)).rejects.toBeInstanceOf(AccountDeletedError);
    expect(await store.get(sub, after.id)).toBeUndefined();
    expect(await store.get(sub, before.id)).toEqual(before);
  });

  it("the create's transaction carries a ClientRequestToken from user and note id: a repeat of the same request is answered with success and writes nothing more", async () => {
    const sub = "u-token";
    const n = note("token");
    const input = createTransaction(table.tableName, sub, { userId: sub, noteId: n.id, ...n });
    expect(input.ClientRequestToken).toBe(createToken(sub, n.id));
    expect(input.ClientRequestToken).not.toBe(createToken("another user", n.id));
    await table.dynamo.send("TransactWriteItems", input);
    // What the transport's retry of an applied attempt sends: the same bytes. DynamoDB answers success.
    await expect(table.dynamo.send("TransactWriteItems", input)).resolves.toBeDefined();
    // The same token with other parameters is refused, not applied.
    const changed = createTransaction(table.tableName, sub, { userId: sub, noteId: n.id, ...n, title: "other" });
    await expect(table.dynamo.send("TransactWriteItems", changed)).rejects.toMatchObject({ name: "IdempotentParameterMismatchException" });
    expect(await store.list(sub, 10, undefined)).toEqual({ items: [n], lastNoteId: null });
  });

  it("lists newest first and pages without gaps or repeats", async () => {
    const created: Note[] = [];
    for (let i = 0; i < 11; i++) {
      const n = note(`n${i}`);
      await store.create("u-list", n);
      created.push(n);
    }
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await store.list("u-list", 4, after);
      seen.push(...page.items.map((n) => n.id));
      if (!page.lastNoteId) break;
      after = page.lastNoteId;
    }
    expect(seen).toEqual(created.map((n) => n.id).reverse());
    // An exact multiple of the limit ends without an empty trailing page.
    const exact = await store.list("u-list", 11, undefined);
    expect(exact.items).toHaveLength(11);
    expect(exact.lastNoteId).toBeNull();
  });

  it("updates against the expected version; a stale version is a conflict, a missing note not found", async () => {
    const n = note("v");
    await store.create("u-update", n);
    const v2 = await store.update("u-update", n.id, 1, { title: "v2", body: "b", updatedAt: "2026-01-01T00:00:00.000Z" });
    expect(v2).toMatchObject({ title: "v2", version: 2, createdAt: n.createdAt });
    const stale = store.update("u-update", n.id, 1, { title: "lost", body: "", updatedAt: "x" });
    await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
    await expect(stale).rejects.toMatchObject({ currentVersion: 2 });
    await expect(store.update("u-update", newNoteId(), 1, { title: "t", body: "", updatedAt: "x" })).rejects.toBeInstanceOf(NoteNotFoundError);
    // Another user cannot update it even with the right version.
    await expect(store.update("u-intruder", n.id, 2, { title: "t", body: "", updatedAt: "x" })).rejects.toBeInstanceOf(NoteNotFoundError);
    expect((await store.get("u-update", n.id))?.title).toBe("v2");
  });

  it("concurrent updates with the same version: exactly one wins, the rest conflict, nothing is lost", async () => {
    const n = note("race");
    await store.create("u-race", n);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => store.update("u-race", n.id, 1, { title: `writer ${i}`, body: "", updatedAt: "x" })),
    );
    const won = results.filter((r): r is PromiseFulfilledResult<Note> => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost.every((r) => r.reason instanceof VersionConflictError)).toBe(true);
    const stored = await store.get("u-race", n.id);
    expect(stored).toMatchObject({ version: 2, title: won[0]?.value.title });
  });

  it("deletes conditionally: stale version conflicts, missing note not found", async () => {
    const n = note("del");
    await store.create("u-del", n);
    await expect(store.delete("u-del", n.id, 5)).rejects.toBeInstanceOf(VersionConflictError);
    await expect(store.delete("u-intruder", n.id, undefined)).rejects.toBeInstanceOf(NoteNotFoundError);
    await store.delete("u-del", n.id, 1);
    expect(await store.get("u-del", n.id)).toBeUndefined();
    await expect(store.delete("u-del", n.id, undefined)).rejects.toBeInstanceOf(NoteNotFoundError);
  });
});

describe("store failures become 503 with Retry-After", () => {
  it("an unreachable table is StoreUnavailableError, and 503 + Retry-After + JSON through the app", async () => {
    const dead = localTransport("http://127.0.0.1:9", { maxAttempts: 1 }); // discard port: nothing listens
    const deadStore = new DynamoNoteStore(dead, "notes-test");
    await expect(deadStore.list("u", 5, undefined)).rejects.toBeInstanceOf(StoreUnavailableError);
    const app = testApp(table, { store: deadStore });
    const res = await app.request("/notes", { headers: authHeaders(idToken("u-dead")) });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(await res.json()).toEqual({ error: { code: "unavailable", message: expect.any(String) } });
    dead.destroy();
  });

  it("a missing table is unavailable, not a 500", async () => {
    const missing = new DynamoNoteStore(table.dynamo, "no-such-table");
    await expect(missing.get("u", newNoteId())).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it("throttling from DynamoDB is 503 + Retry-After", async () => {
    // DynamoDB's own throttling answer (400 ProvisionedThroughputExceededException) on every request.
    const standIn = await startDynamoStandIn(table.endpoint);
    standIn.throttle(Infinity);
    const throttled = localTransport(standIn.endpoint, { maxAttempts: 1 });
    const app = testApp(table, { store: new DynamoNoteStore(throttled, table.tableName) });
    const res = await app.request("/notes", { headers: authHeaders(idToken("u-throttled")) });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("1");
    expect(await res.json()).toMatchObject({ error: { code: "unavailable" } });
    throttled.destroy();
    await standIn.close();
  });
});
