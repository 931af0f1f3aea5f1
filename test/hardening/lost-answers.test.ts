/**
 * Writes whose answer is lost after the store applied them. A proxy in front of DynamoDB Local
 * forwards the write (DynamoDB Local applies it) and then answers 500 or cuts the connection; the
 * service runs with the production retry setting (the transport's default maxAttempts). Each route
 * must answer what actually happened, and an app that repeats a create with its Idempotency-Key
 * must end with exactly one note.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idempotencyKeyHeaderValue } from "../../contract/idempotency-key";
import type { Note } from "../../contract/notes";
import type { DynamoTransport } from "../../service/src/dynamo/transport";
import { DynamoNoteStore } from "../../service/src/notes/dynamo-store";
import { authHeaders, jsonHeaders, jsonOf, listAll, testApp, type TestApp } from "../helpers/app";
import { localTransport, startTestTable, type TestTable } from "../helpers/dynamodb";
import { startLossyDynamoProxy, type Loss, type LossyDynamoProxy } from "../helpers/lossy-dynamo-proxy";
import { idToken } from "../helpers/tokens";

let table: TestTable;
let proxy: LossyDynamoProxy;
/** The service's transport settings: nothing but the endpoint given (maxAttempts and timeouts default). */
let client: DynamoTransport;
let app: TestApp;

beforeAll(async () => {
  table = await startTestTable();
  proxy = await startLossyDynamoProxy(table.endpoint);
  client = localTransport(proxy.endpoint);
  app = testApp(table, { store: new DynamoNoteStore(client, table.tableName) });
});
afterAll(async () => {
  client.destroy();
  await proxy.close();
  await table.close();
});

const LOST: readonly Loss[] = ["answer-500", "cut", "cut-mid-body"];

function post(token: string, note: { title: string; body: string }, key?: string): Promise<Response> {
  const extra: Record<string, string> = key === undefined ? {} : { "Idempotency-Key": idempotencyKeyHeaderValue(key) };
  return Promise.resolve(app.request("/notes", { method: "POST", headers: jsonHeaders(token, extra), body: JSON.stringify(note) }));
}

async function created(token: string, note: { title: string; body: string }): Promise<Note> {
  const res = await post(token, note);
  expect(res.status).toBe(201);
  return jsonOf<Note>(res);
}

describe("POST /notes whose answer is lost after the store applied it", () => {
  it.each(LOST)("without Idempotency-Key (%s): the retry carries the same ClientRequestToken, so 201 with the note, and exactly one note", async (loss) => {
    const token = idToken(randomUUID());
    proxy.lose("TransactWriteItems", loss);
    const res = await post(token, { title: "once", body: "€ multi-byte ✓" });
    expect(proxy.pending()).toBe(0);
    expect(res.status, await res.clone().text()).toBe(201);
    const note = await jsonOf<Note>(res);
    expect(res.headers.get("location")).toBe(`notes/${note.id}`);
    expect(await listAll(app, token)).toEqual([note]);
  });

  it.each(LOST)("with Idempotency-Key (%s): 201 with the note; the app's repeat with its key answers the same note; exactly one note", async (loss) => {
    const token = idToken(randomUUID());
    const key = randomUUID();
    proxy.lose("TransactWriteItems", loss);
    const first = await post(token, { title: "keyed", body: "b" }, key);
    expect(first.status, await first.clone().text()).toBe(201);
    const note = await jsonOf<Note>(first);
    const repeat = await post(token, { title: "keyed", body: "b" }, key);
    expect(repeat.status).toBe(201);
    expect(await jsonOf<Note>(repeat)).toEqual(note);
    expect(repeat.headers.get("location")).toBe(first.headers.get("location"));
    expect(repeat.headers.get("etag")).toBe(first.headers.get("etag"));
    expect(await listAll(app, token)).toEqual([note]);
  });

  it("every attempt applied and every answer lost: 503 (the outcome is unknown); the app repeats with its key and gets the note, and there is exactly one", async () => {
    const token = idToken(randomUUID());
    const key = randomUUID();
    // Both of the transport's attempts reach the table (the second is a no-op: same token) and lose their answer.
    proxy.lose("TransactWriteItems", "answer-500", "cut");
    const first = await post(token, { title: "unknown", body: "" }, key);
    expect(first.status).toBe(503);
    expect(first.headers.get("retry-after")).toMatch(/^\d+$/);
    // The note was stored all the same: the key is what lets the app find out without a duplicate.
    const repeat = await post(token, { title: "unknown", body: "" }, key);
    expect(repeat.status).toBe(201);
    const note = await jsonOf<Note>(repeat);
    expect(await listAll(app, token)).toEqual([note]);
    // The key with another payload is refused, even after a lost answer.
    const reused = await post(token, { title: "something else", body: "" }, key);
    expect(reused.status).toBe(422);
    expect(await reused.json()).toEqual({ error: { code: "idempotency_key_reused", message: expect.stringMatching(/another payload/) } });
    expect(await listAll(app, token)).toEqual([note]);
  });
});

describe("PUT /notes/{id} with If-Match whose answer is lost after the store applied it", () => {
  it.each(LOST)("%s: 200 with the note at the next version, as stored", async (loss) => {
    const token = idToken(randomUUID());
    const note = await created(token, { title: "v1", body: "" });
    proxy.lose("UpdateItem", loss);
    const res = await app.request(`/notes/${note.id}`, {
      method: "PUT",
      headers: jsonHeaders(token, { "If-Match": '"1"' }),
      body: JSON.stringify({ title: "v2", body: "ünïcode" }),
    });
    expect(proxy.pending()).toBe(0);
    expect(res.status, await res.clone().text()).toBe(200);
    const updated = await jsonOf<Note>(res);
    expect(updated).toMatchObject({ id: note.id, title: "v2", body: "ünïcode", version: 2 });
    expect(res.headers.get("etag")).toBe('"2"');
    const stored = await jsonOf<Note>(await app.request(`/notes/${note.id}`, { headers: authHeaders(token) }));
    expect(stored).toEqual(updated);
  });

  it("a first attempt that was NOT applied and a retry that fails against another writer's version stays 412", async () => {
    const token = idToken(randomUUID());
    const note = await created(token, { title: "v1", body: "" });
    // Someone else moved it to v2 meanwhile; our If-Match "1" is stale.
    const other = await app.request(`/notes/${note.id}`, {
      method: "PUT",
      headers: jsonHeaders(token, { "If-Match": '"1"' }),
      body: JSON.stringify({ title: "theirs", body: "" }),
    });
    expect(other.status).toBe(200);
    proxy.lose("UpdateItem", "refuse-500");
    const res = await app.request(`/notes/${note.id}`, {
      method: "PUT",
      headers: jsonHeaders(token, { "If-Match": '"1"' }),
      body: JSON.stringify({ title: "mine", body: "" }),
    });
    expect(res.status).toBe(412);
    const stored = await jsonOf<Note>(await app.request(`/notes/${note.id}`, { headers: authHeaders(token) }));
    expect(stored).toMatchObject({ title: "theirs", version: 2 });
  });
});

describe("DELETE /notes/{id} whose answer is lost after the store applied it", () => {
  it.each(
    LOST.flatMap(
      (loss) =>
        [
          [loss, "without If-Match"],
          [loss, 'with If-Match "1"'],
        ] as const,
    ),
  )("%s, %s: 204, and the note is gone", async (loss, how) => {
    const token = idToken(randomUUID());
    const note = await created(token, { title: "doomed", body: "" });
    proxy.lose("DeleteItem", loss);
    const headers = how === "without If-Match" ? authHeaders(token) : authHeaders(token, { "If-Match": '"1"' });
    const res = await app.request(`/notes/${note.id}`, { method: "DELETE", headers });
    expect(proxy.pending()).toBe(0);
    expect(res.status, await res.clone().text()).toBe(204);
    expect((await app.request(`/notes/${note.id}`, { headers: authHeaders(token) })).status).toBe(404);
    // A later DELETE of the same note is an honest 404: only the request whose attempt was lost settles to 204.
    expect((await app.request(`/notes/${note.id}`, { method: "DELETE", headers: authHeaders(token) })).status).toBe(404);
  });
});
