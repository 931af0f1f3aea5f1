/**
 * The real service (createApp on DynamoDB Local) is driven
 * through every success and every error kind it produces — 400, 401, 404, 412, 413, 415, 428,
 * 500, 503 — and each response (status, body, declared headers) is checked with ajv against what
 * the committed openapi.json declares for that operation and status. The last test checks the
 * other direction: every status a route declares for the service was produced here.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Note } from "../../contract/notes";
import type { JsonObject } from "../../contract/openapi/document";
import { errorResponseSpecs } from "../../contract/openapi/error-responses";
import { routeDocs } from "../../contract/openapi/route-docs";
import { OPENAPI_FILE } from "../../contract/openapi/write";
import { matchRoute, routes, type RouteId } from "../../contract/routes";
import type { DynamoTransport } from "../../service/src/dynamo/transport";
import { DynamoNoteStore } from "../../service/src/notes/dynamo-store";
import type { NoteStore } from "../../service/src/notes/store";
import { pendingTiming, relaxedTiming, testAccount, testApp, useTestApp, type TestApp } from "../helpers/app";
import { localTransport } from "../helpers/dynamodb";
import { responseChecker } from "../helpers/openapi-responses";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy";
import { idToken } from "../helpers/tokens";

const t = useTestApp();
const checker = responseChecker(JSON.parse(readFileSync(OPENAPI_FILE, "utf8")) as JsonObject);
const produced = new Map<RouteId, Set<number>>(routes.map((r) => [r.id, new Set<number>()]));

const alice = idToken("0a11ce00-aaaa-4aaa-8aaa-000000000001");
const bob = idToken("0b0b0000-bbbb-4bbb-8bbb-000000000002");
const expired = idToken("0a11ce00-aaaa-4aaa-8aaa-000000000001", { exp: Math.floor(Date.now() / 1000) - 60 });
const missingId = "01890a5d-ac96-774b-bcce-b302099a8057";

interface Sent {
  readonly token?: string;
  readonly headers?: Record<string, string>;
  /** JSON-encoded unless a string. */
  readonly body?: unknown;
  readonly contentType?: string;
}

/** Send a request to `app`, check the response against the document, record (route, status). */
async function call(app: TestApp, method: string, path: string, sent: Sent = {}): Promise<{ status: number; json: () => unknown; headers: Headers }> {
  const headers: Record<string, string> = { ...sent.headers };
  if (sent.token !== undefined) headers["Authorization"] = sent.token;
  let body: string | undefined;
  if (sent.body !== undefined) {
    body = typeof sent.body === "string" ? sent.body : JSON.stringify(sent.body);
    headers["Content-Type"] = sent.contentType ?? "application/json";
  }
  const res = await app.request(path, { method, headers, body });
  const text = await res.text();
  const match = matchRoute(method, new URL(path, "http://service").pathname);
  if (match.kind !== "route") throw new Error(`${method} ${path} is no route of the table`);
  expect(checker.check(match.route.id, { status: res.status, headers: res.headers, body: text }), `${method} ${path} → ${res.status} ${text}`).toEqual([]);
  produced.get(match.route.id)!.add(res.status);
  return { status: res.status, json: () => JSON.parse(text) as unknown, headers: res.headers };
}

async function createNote(app: TestApp, token = alice): Promise<Note> {
  const res = await call(app, "POST", "/notes", { token, body: { title: "a note", body: "text" } });
  expect(res.status).toBe(201);
  return res.json() as Note;
}

describe("the service's responses conform to openapi.json", () => {
  it("successes: 200 /me, 201 create (Location, ETag), 200 list (both pages), 200 get (ETag), 200 update (ETag), 204 delete", async () => {
    expect((await call(t.app, "GET", "/me", { token: alice })).status).toBe(200);
    expect((await call(t.app, "GET", "/me", { token: `Bearer ${alice}` })).status).toBe(200);
    const note = await createNote(t.app);
    await createNote(t.app);
    const first = await call(t.app, "GET", "/notes?limit=1", { token: alice });
    expect(first.status).toBe(200);
    const cursor = (first.json() as { nextCursor: string }).nextCursor;
    expect(cursor).toEqual(expect.any(String));
    expect((await call(t.app, "GET", `/notes?limit=100&cursor=${encodeURIComponent(cursor)}`, { token: alice })).status).toBe(200);
    expect((await call(t.app, "GET", "/notes", { token: bob })).json()).toEqual({ items: [], nextCursor: null });
    expect((await call(t.app, "GET", `/notes/${note.id}`, { token: alice })).status).toBe(200);
    const updated = await call(t.app, "PUT", `/notes/${note.id}`, { token: alice, headers: { "If-Match": '"1"' }, body: { title: "edited", body: "" } });
    expect(updated.status).toBe(200);
    expect(updated.headers.get("etag")).toBe('"2"');
    expect((await call(t.app, "PUT", `/notes/${note.id}`, { token: alice, headers: { "If-Match": "*" }, body: { title: "again", body: "b" } })).status).toBe(
      200,
    );
    expect((await call(t.app, "DELETE", `/notes/${note.id}`, { token: alice, headers: { "If-Match": '"3"' } })).status).toBe(204);
    const other = await createNote(t.app);
    expect((await call(t.app, "DELETE", `/notes/${other.id}`, { token: alice })).status).toBe(204);
  });

  it("Idempotency-Key: 201 for the first request and its replay (Location, ETag), 422 for the key with another payload, 400 for a malformed key", async () => {
    const key = { "Idempotency-Key": '"a3c1e0b4-openapi"' };
    const first = await call(t.app, "POST", "/notes", { token: alice, headers: key, body: { title: "keyed", body: "" } });
    expect(first.status).toBe(201);
    const replay = await call(t.app, "POST", "/notes", { token: alice, headers: key, body: { title: "keyed", body: "" } });
    expect(replay.status).toBe(201);
    expect(replay.json()).toEqual(first.json());
    expect((await call(t.app, "POST", "/notes", { token: alice, headers: key, body: { title: "other", body: "" } })).status).toBe(422);
    expect((await call(t.app, "POST", "/notes", { token: alice, headers: { "Idempotency-Key": "" }, body: { title: "t", body: "" } })).status).toBe(400);
  });

  it("account: 200 export (Content-Disposition), 202 deletion under way (Retry-After), 204 deleted, 204 again", async () => {
    const carol = idToken("0ca401e0-cccc-4ccc-8ccc-000000000003");
    await createNote(t.app, carol);
    const exported = await call(t.app, "GET", "/me/export", { token: carol });
    expect(exported.status).toBe(200);
    expect((exported.json() as { notes: unknown[] }).notes).toHaveLength(1);
    // A commit margin (5 s) longer than the budget (3 s): 202; then the usual timing: 204.
    const pendingApp = testApp(t.table, { account: testAccount(t.table, { timing: pendingTiming }) });
    expect((await call(pendingApp, "DELETE", "/me", { token: carol })).status).toBe(202);
    const quickApp = testApp(t.table, { account: testAccount(t.table, { timing: relaxedTiming }) });
    expect((await call(quickApp, "DELETE", "/me", { token: carol })).status).toBe(204);
    expect((await call(quickApp, "DELETE", "/me", { token: carol })).status).toBe(204);
  });

  it("401 on every route: no token, garbage, Bearer alone, an expired token", async () => {
    const note = await createNote(t.app);
    for (const route of routes) {
      const path = route.path.replace("{noteId}", note.id);
      const body = route.method === "POST" || route.method === "PUT" ? { title: "t", body: "b" } : undefined;
      for (const token of [undefined, "garbage", "Bearer", expired]) {
        const res = await call(t.app, route.method, path, { token, body, headers: { "If-Match": '"1"' } });
        expect(res.status, `${route.id} with ${token?.slice(0, 10)}`).toBe(401);
      }
    }
  });

  it("400 validation_failed: bad limit, tampered or foreign cursor, missing or unknown or blank fields, invalid JSON", async () => {
    for (const query of ["limit=0", "limit=101", "limit=abc", "limit=1.5", "cursor=", "cursor=not-a-cursor"]) {
      expect((await call(t.app, "GET", `/notes?${query}`, { token: alice })).status, query).toBe(400);
    }
    await createNote(t.app);
    await createNote(t.app);
    const page = (await call(t.app, "GET", "/notes?limit=1", { token: alice })).json() as { nextCursor: string };
    expect((await call(t.app, "GET", `/notes?cursor=${encodeURIComponent(page.nextCursor)}`, { token: bob })).status, "alice's cursor used by bob").toBe(400);

    const note = await createNote(t.app);
    const bad: unknown[] = [
      { title: "t" },
      { title: "t", body: "b", userId: "x" },
      { title: "   ", body: "b" },
      { title: "x".repeat(201), body: "" },
      [],
      null,
      "{not json",
    ];
    for (const body of bad) {
      const text = typeof body === "string" ? body : JSON.stringify(body);
      expect((await call(t.app, "POST", "/notes", { token: alice, body: text })).status, text).toBe(400);
      expect((await call(t.app, "PUT", `/notes/${note.id}`, { token: alice, headers: { "If-Match": '"1"' }, body: text })).status, text).toBe(400);
    }
  });

  it("404 not_found: a missing note, another user's note, a malformed id", async () => {
    const note = await createNote(t.app);
    for (const [id, token] of [
      [missingId, alice],
      [note.id, bob],
      ["not-a-uuid", alice],
    ] as const) {
      expect((await call(t.app, "GET", `/notes/${id}`, { token })).status).toBe(404);
      expect((await call(t.app, "PUT", `/notes/${id}`, { token, headers: { "If-Match": '"1"' }, body: { title: "t", body: "b" } })).status).toBe(404);
      expect((await call(t.app, "DELETE", `/notes/${id}`, { token })).status).toBe(404);
    }
  });

  it("412, 428: stale or malformed If-Match, and none on PUT", async () => {
    const note = await createNote(t.app);
    const put = (headers: Record<string, string>) => call(t.app, "PUT", `/notes/${note.id}`, { token: alice, headers, body: { title: "t", body: "b" } });
    expect((await put({})).status).toBe(428);
    expect((await put({ "If-Match": '"7"' })).status).toBe(412);
    expect((await put({ "If-Match": 'W/"1"' })).status).toBe(412);
    expect((await put({ "If-Match": '"5", "6"' })).status).toBe(412);
    expect((await call(t.app, "DELETE", `/notes/${note.id}`, { token: alice, headers: { "If-Match": '"9"' } })).status).toBe(412);
    expect((await call(t.app, "DELETE", `/notes/${note.id}`, { token: alice, headers: { "If-Match": "nonsense" } })).status).toBe(412);
  });

  it("413 and 415 on the routes with a body", async () => {
    const note = await createNote(t.app);
    const big = JSON.stringify({ title: "t", body: "x".repeat(17 * 1024) });
    expect((await call(t.app, "POST", "/notes", { token: alice, body: big })).status).toBe(413);
    expect((await call(t.app, "PUT", `/notes/${note.id}`, { token: alice, headers: { "If-Match": '"1"' }, body: big })).status).toBe(413);
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "application/jsonp"]) {
      expect((await call(t.app, "POST", "/notes", { token: alice, body: '{"title":"t","body":"b"}', contentType })).status).toBe(415);
      expect(
        (await call(t.app, "PUT", `/notes/${note.id}`, { token: alice, headers: { "If-Match": '"1"' }, body: '{"title":"t","body":"b"}', contentType })).status,
      ).toBe(415);
    }
  });

  describe("503 (with Retry-After) when the table is unreachable", () => {
    let proxy: TcpProxy;
    let client: DynamoTransport;
    let app: TestApp;

    beforeAll(async () => {
      proxy = await startTcpProxy(Number(new URL(t.table.endpoint).port));
      client = localTransport(proxy.endpoint, { maxAttempts: 1 });
      app = testApp(t.table, { store: new DynamoNoteStore(client, t.table.tableName) });
    });
    afterAll(async () => {
      client.destroy();
      await proxy.close();
    });

    it("on every route that reads or writes the table", async () => {
      const note = await createNote(app);
      await proxy.refuse();
      const cases: Array<[string, string, Sent]> = [
        ["GET", "/notes", { token: alice }],
        ["POST", "/notes", { token: alice, body: { title: "t", body: "b" } }],
        ["GET", `/notes/${note.id}`, { token: alice }],
        ["PUT", `/notes/${note.id}`, { token: alice, headers: { "If-Match": '"1"' }, body: { title: "t", body: "b" } }],
        ["DELETE", `/notes/${note.id}`, { token: alice }],
        ["GET", "/me/export", { token: alice }],
      ];
      for (const [method, path, sent] of cases) {
        const res = await call(app, method, path, sent);
        expect(res.status, `${method} ${path}`).toBe(503);
        expect(res.headers.get("retry-after"), `${method} ${path}`).toMatch(/^[1-9][0-9]*$/);
      }
      await proxy.restore();
    });
  });

  it("500 internal (no detail) when the store fails in a way the service does not know", async () => {
    const boom = async (): Promise<never> => {
      throw new Error("disk on fire at /var/lib/secret");
    };
    const broken: NoteStore = { create: boom, get: boom, list: boom, update: boom, delete: boom };
    const app = testApp(t.table, { store: broken });
    const id = missingId;
    for (const [method, path, sent] of [
      ["GET", "/notes", { token: alice }],
      ["POST", "/notes", { token: alice, body: { title: "t", body: "b" } }],
      ["GET", `/notes/${id}`, { token: alice }],
      ["PUT", `/notes/${id}`, { token: alice, headers: { "If-Match": '"1"' }, body: { title: "t", body: "b" } }],
      ["DELETE", `/notes/${id}`, { token: alice }],
    ] as Array<[string, string, Sent]>) {
      const res = await call(app, method, path, sent);
      expect(res.status).toBe(500);
      expect(JSON.stringify(res.json())).not.toContain("disk on fire");
    }
  });

  it("every status a route declares for the service (its success and its own errors, 401) was produced and validated above", () => {
    for (const route of routes) {
      const doc = routeDocs[route.id];
      const expected = [doc.success.status, ...(doc.pending ? [doc.pending.status] : []), 401, ...doc.errors.map((name) => errorResponseSpecs[name].status)];
      expect([...produced.get(route.id)!].sort(), route.id).toEqual(expect.arrayContaining(expected));
    }
    const all = new Set([...produced.values()].flatMap((s) => [...s]));
    expect([...all].sort()).toEqual([200, 201, 202, 204, 400, 401, 404, 412, 413, 415, 422, 428, 500, 503]);
  });
});
