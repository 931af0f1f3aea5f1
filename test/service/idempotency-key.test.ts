/**
 * POST /notes with an Idempotency-Key (IETF httpapi draft "The Idempotency-Key HTTP Header
 * Field"), on DynamoDB Local: a repeat answers with the same note and creates nothing; the key with
 * another payload is 422; records never show up as notes, expire after 24 h even before DynamoDB's
 * TTL removes them, and go with the account.
 */
import { randomUUID } from "node:crypto";
import { GetCommand, PutCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idempotencyKeyHeaderValue, IDEMPOTENCY_KEY_MAX_LENGTH, parseIdempotencyKey } from "../../contract/idempotency-key";
import type { AccountExport } from "../../contract/account";
import type { Note } from "../../contract/notes";
import { PartitionSweeper } from "../../service/src/account/sweep";
import { Deadline } from "../../service/src/deadline";
import { idempotencySortKey } from "../../service/src/notes/idempotency";
import { TTL_ATTRIBUTE } from "../../contract/notes-table";
import { authHeaders, jsonHeaders, jsonOf, listAll, testApp, type TestApp } from "../helpers/app";
import { startTestTable, type TestTable } from "../helpers/dynamodb";
import { itemsOf, sturdyDoc } from "../helpers/seed-notes";
import { idToken } from "../helpers/tokens";

let table: TestTable;
let app: TestApp;
/** The app's clock runs `skewMs` ahead of the real one: a test moves it a day on. */
let skewMs = 0;
const now = () => Date.now() + skewMs;

beforeAll(async () => {
  table = await startTestTable();
  app = testApp(table, { clock: { now } });
});
afterAll(() => table.close());

function post(token: string, body: unknown, keyHeader?: string): Promise<Response> {
  const extra: Record<string, string> = keyHeader === undefined ? {} : { "Idempotency-Key": keyHeader };
  return Promise.resolve(app.request("/notes", { method: "POST", headers: jsonHeaders(token, extra), body: JSON.stringify(body) }));
}

/** An id token issued at the app clock's now. */
function tokenAt(sub: string): string {
  const s = Math.floor(now() / 1000);
  return idToken(sub, { iat: s, auth_time: s, exp: s + 3600 });
}

const user = () => {
  const sub = randomUUID();
  return { sub, token: tokenAt(sub) };
};

describe("Idempotency-Key on POST /notes", () => {
  it("a replayed Idempotency-Key returns the same note (201, same id, body, Location and ETag) and creates no other", async () => {
    const { token } = user();
    const key = idempotencyKeyHeaderValue(randomUUID());
    const first = await post(token, { title: "groceries", body: "ünïcode ✓ € 😀" }, key);
    expect(first.status).toBe(201);
    const note = await jsonOf<Note>(first);
    // The note changes afterwards: a replay still answers as the first request was answered.
    const updated = await app.request(`/notes/${note.id}`, {
      method: "PUT",
      headers: jsonHeaders(token, { "If-Match": '"1"' }),
      body: JSON.stringify({ title: "changed", body: "" }),
    });
    expect(updated.status).toBe(200);
    // Key order and spacing of the JSON body are not the payload: the same title and body are.
    const again = await app.request("/notes", {
      method: "POST",
      headers: jsonHeaders(token, { "Idempotency-Key": key }),
      body: '{ "body": "ünïcode ✓ € 😀",  "title": "groceries" }',
    });
    expect(again.status).toBe(201);
    expect(await jsonOf<Note>(again)).toEqual(note);
    expect(again.headers.get("location")).toBe(first.headers.get("location"));
    expect(again.headers.get("etag")).toBe('"1"');
    expect((await listAll(app, token)).map((n) => n.id)).toEqual([note.id]);
  });

  it("the same key with another payload is 422 idempotency_key_reused, and nothing is created", async () => {
    const { token } = user();
    const key = "order-42";
    const first = await post(token, { title: "a", body: "" }, key);
    expect(first.status).toBe(201);
    for (const other of [
      { title: "b", body: "" },
      { title: "a", body: " " },
    ]) {
      const res = await post(token, other, key);
      expect(res.status).toBe(422);
      expect(await res.json()).toEqual({ error: { code: "idempotency_key_reused", message: expect.stringContaining("Idempotency-Key") } });
    }
    expect(await listAll(app, token)).toHaveLength(1);
  });

  it("keys are per user: the same key from another user creates that user's own note", async () => {
    const a = user();
    const b = user();
    const ra = await jsonOf<Note>(await post(a.token, { title: "a", body: "" }, "shared"));
    const rb = await post(b.token, { title: "b", body: "" }, "shared");
    expect(rb.status).toBe(201);
    expect((await jsonOf<Note>(rb)).id).not.toBe(ra.id);
  });

  it("no key: every POST creates a note, as before", async () => {
    const { token } = user();
    expect((await post(token, { title: "x", body: "" })).status).toBe(201);
    expect((await post(token, { title: "x", body: "" })).status).toBe(201);
    expect(await listAll(app, token)).toHaveLength(2);
  });

  it("concurrent requests with one key: every answer is the same note (or 503 to retry), and there is exactly one", async () => {
    const { token } = user();
    const results = await Promise.all(Array.from({ length: 12 }, () => post(token, { title: "racing", body: "" }, "race-key")));
    const ok = results.filter((r) => r.status === 201);
    for (const r of results) expect([201, 503]).toContain(r.status);
    expect(ok.length).toBeGreaterThan(0);
    const ids = new Set(await Promise.all(ok.map(async (r) => (await jsonOf<Note>(r)).id)));
    expect(ids.size).toBe(1);
    expect((await listAll(app, token)).map((n) => n.id)).toEqual([...ids]);
  });

  it.each([
    ["empty", ""],
    ["an empty quoted string", '""'],
    [`longer than ${IDEMPOTENCY_KEY_MAX_LENGTH} characters`, "k".repeat(IDEMPOTENCY_KEY_MAX_LENGTH + 1)],
    ["non-ASCII", "clé"],
    ["a bare key with a space", "two words"],
    ["an unterminated quoted string", '"abc'],
    ["a bad escape in a quoted string", '"a\\b"'],
    ["a control character", "a\tb"],
  ])("a key that is %s is 400 validation_failed, nothing created", async (_what, value) => {
    const { token } = user();
    const res = await post(token, { title: "t", body: "" }, value);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: { code: "validation_failed", message: expect.stringContaining("Idempotency-Key") } });
    expect(await listAll(app, token)).toEqual([]);
  });

  it("a key of 255 printable characters works; the quoted (sf-string) and bare forms name the same key", async () => {
    const { token } = user();
    const long = `${"~!#$%&'()*+,-./:;<=>?@[]^_`{|}"}`.padEnd(IDEMPOTENCY_KEY_MAX_LENGTH, "z");
    expect(parseIdempotencyKey(idempotencyKeyHeaderValue(long))).toEqual({ key: long });
    const quoted = await post(token, { title: "t", body: "" }, idempotencyKeyHeaderValue(long));
    expect(quoted.status).toBe(201);
    const bare = await post(token, { title: "t", body: "" }, long);
    expect(bare.status).toBe(201);
    expect(await jsonOf<Note>(bare)).toEqual(await jsonOf<Note>(quoted));
    expect(parseIdempotencyKey('"with \\"quotes\\" and \\\\"')).toEqual({ key: 'with "quotes" and \\' });
  });

  it("records never show up as notes: not listed, exported, or readable as /notes/{id}", async () => {
    const { sub, token } = user();
    const key = "visible?";
    const note = await jsonOf<Note>(await post(token, { title: "only", body: "" }, key));
    const raw = sturdyDoc(table.endpoint);
    expect((await itemsOf(raw, table.tableName, sub)).map((i) => i.noteId).sort()).toEqual([note.id, idempotencySortKey(key)].sort());
    expect((await listAll(app, token)).map((n) => n.id)).toEqual([note.id]);
    const exported = await jsonOf<AccountExport>(await app.request("/me/export", { headers: authHeaders(token) }));
    expect(exported.notes.map((n) => n.id)).toEqual([note.id]);
    for (const id of [idempotencySortKey(key), encodeURIComponent(idempotencySortKey(key))]) {
      expect((await app.request(`/notes/${id}`, { headers: authHeaders(token) })).status).toBe(404);
    }
    raw.destroy();
  });

  it("a record past its 24 h is absent even before DynamoDB's TTL deletes it: the key creates a new note", async () => {
    const { sub, token } = user();
    const key = "old-key";
    const first = await jsonOf<Note>(await post(token, { title: "then", body: "" }, key));
    const raw = sturdyDoc(table.endpoint);
    const stored = await raw.send(new GetCommand({ TableName: table.tableName, Key: { userId: sub, noteId: idempotencySortKey(key) } }));
    expect(stored.Item?.[TTL_ATTRIBUTE]).toBe(Math.ceil((Date.parse(first.createdAt) + 24 * 3_600_000) / 1000));
    // 24 h (and the second TTL counts in) later the record is still in the table (TTL is lazy) but expired.
    skewMs += 24 * 3_600_000 + 1_000;
    const later = await post(tokenAt(sub), { title: "now", body: "" }, key);
    expect(later.status).toBe(201);
    const second = await jsonOf<Note>(later);
    expect(second.id).not.toBe(first.id);
    // And the key now names the new note.
    expect(await jsonOf<Note>(await post(tokenAt(sub), { title: "now", body: "" }, key))).toEqual(second);
    // One second before expiry it still holds.
    const edge = "edge-key";
    await raw.send(
      new PutCommand({
        TableName: table.tableName,
        Item: {
          userId: sub,
          noteId: idempotencySortKey(edge),
          payloadHash: "x",
          createdNoteId: first.id,
          createdAt: first.createdAt,
          [TTL_ATTRIBUTE]: Math.floor(now() / 1000) + 2,
        },
      }),
    );
    expect((await post(tokenAt(sub), { title: "now", body: "" }, edge)).status).toBe(422);
    skewMs = 0;
    raw.destroy();
  });

  it("records go with the account: the sweep of DELETE /me deletes them with the notes", async () => {
    const { sub, token } = user();
    await post(token, { title: "a", body: "" }, "k1");
    await post(token, { title: "b", body: "" }, "k2");
    const raw = sturdyDoc(table.endpoint);
    expect(await itemsOf(raw, table.tableName, sub)).toHaveLength(4);
    await new PartitionSweeper(table.dynamo, table.tableName).sweep(sub, Deadline.after(10_000));
    expect(await itemsOf(raw, table.tableName, sub)).toEqual([]);
    raw.destroy();
  });
});
