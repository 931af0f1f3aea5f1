import { describe, expect, it } from "vitest";
import type { Note, NoteList } from "../../contract/notes";
import { authHeaders, jsonHeaders, jsonOf, useTestApp } from "../helpers/app";
import { idToken } from "../helpers/tokens";

const t = useTestApp();
const alice = idToken("11111111-aaaa-4aaa-8aaa-111111111111");

async function create(token: string, title: string, body = "text"): Promise<{ note: Note; res: Response }> {
  const res = await t.app.request("/notes", { method: "POST", headers: jsonHeaders(token), body: JSON.stringify({ title, body }) });
  expect(res.status).toBe(201);
  return { note: await jsonOf<Note>(res), res };
}

describe("notes CRUD", () => {
  it("creates with 201, Location and ETag, then reads it back", async () => {
    const { note, res } = await create(alice, "first", "hello");
    expect(res.headers.get("location")).toBe(`notes/${note.id}`);
    expect(res.headers.get("etag")).toBe('"1"');
    expect(note).toMatchObject({ title: "first", body: "hello", version: 1 });
    const got = await t.app.request(`/notes/${note.id}`, { headers: authHeaders(alice) });
    expect(got.status).toBe(200);
    expect(got.headers.get("etag")).toBe('"1"');
    expect(await got.json()).toEqual(note);
  });

  it("updates with If-Match, answers 428 without it and 412 when stale", async () => {
    const { note } = await create(alice, "to edit");
    const put = (ifMatch: string | undefined, title: string) =>
      t.app.request(`/notes/${note.id}`, {
        method: "PUT",
        headers: jsonHeaders(alice, ifMatch === undefined ? {} : { "If-Match": ifMatch }),
        body: JSON.stringify({ title, body: "b" }),
      });
    const missing = await put(undefined, "x");
    expect(missing.status).toBe(428);
    expect(await missing.json()).toMatchObject({ error: { code: "precondition_required" } });
    const ok = await put('"1"', "edited");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("etag")).toBe('"2"');
    expect(await ok.json()).toMatchObject({ title: "edited", version: 2 });
    const stale = await put('"1"', "lost?");
    expect(stale.status).toBe(412);
    expect(await stale.json()).toMatchObject({ error: { code: "precondition_failed" } });
    expect((await jsonOf<Note>(await t.app.request(`/notes/${note.id}`, { headers: authHeaders(alice) }))).title).toBe("edited");
    expect((await put('W/"2"', "weak")).status).toBe(412);
    expect((await put("*", "any")).status).toBe(200);
  });

  it("deletes with 204, then 404; a stale If-Match on delete is 412", async () => {
    const { note } = await create(alice, "to delete");
    const stale = await t.app.request(`/notes/${note.id}`, { method: "DELETE", headers: authHeaders(alice, { "If-Match": '"7"' }) });
    expect(stale.status).toBe(412);
    const del = await t.app.request(`/notes/${note.id}`, { method: "DELETE", headers: authHeaders(alice) });
    expect(del.status).toBe(204);
    expect((await t.app.request(`/notes/${note.id}`, { headers: authHeaders(alice) })).status).toBe(404);
    expect((await t.app.request(`/notes/${note.id}`, { method: "DELETE", headers: authHeaders(alice) })).status).toBe(404);
  });

  it("lists newest first with cursor pagination that visits every note once", async () => {
    const carol = idToken("33333333-cccc-4ccc-8ccc-333333333333");
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await create(carol, `n${i}`)).note.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=3&cursor=${cursor}` : "?limit=3";
      const page: NoteList = await jsonOf<NoteList>(await t.app.request(`/notes${q}`, { headers: authHeaders(carol) }));
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((n) => n.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
  });
});

describe("limits and bad input", () => {
  const post = (headers: Record<string, string>, body: string) => t.app.request("/notes", { method: "POST", headers, body });
  it.each([
    ["body over 16 KiB", jsonHeaders(alice), JSON.stringify({ title: "t", body: "x".repeat(17 * 1024) }), 413, "payload_too_large"],
    ["text/plain", authHeaders(alice, { "Content-Type": "text/plain" }), '{"title":"t","body":""}', 415, "unsupported_media_type"],
    ["no content type", authHeaders(alice), '{"title":"t","body":""}', 415, "unsupported_media_type"],
    ["malformed JSON", jsonHeaders(alice), '{"title":', 400, "validation_failed"],
    ["unknown field", jsonHeaders(alice), '{"title":"t","body":"","userId":"bob"}', 400, "validation_failed"],
    ["empty title", jsonHeaders(alice), '{"title":"","body":""}', 400, "validation_failed"],
    ["blank title", jsonHeaders(alice), '{"title":"   ","body":""}', 400, "validation_failed"],
    ["title over 200", jsonHeaders(alice), JSON.stringify({ title: "t".repeat(201), body: "" }), 400, "validation_failed"],
    ["body over 10 000", jsonHeaders(alice), JSON.stringify({ title: "t", body: "b".repeat(10_001) }), 400, "validation_failed"],
    ["title a number", jsonHeaders(alice), '{"title":5,"body":""}', 400, "validation_failed"],
    ["array body", jsonHeaders(alice), "[]", 400, "validation_failed"],
    ["null body", jsonHeaders(alice), "null", 400, "validation_failed"],
  ] as const)("%s → %i %s", async (_name, headers, body, status, code) => {
    const res = await post(headers, body);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: { code } });
  });

  it.each(["0", "101", "-1", "abc", "1.5"])("limit=%s → 400", async (limit) => {
    const res = await t.app.request(`/notes?limit=${limit}`, { headers: authHeaders(alice) });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "validation_failed" } });
  });

  it.each(["garbage", "eyJrIjoiIn0", "%00", "a".repeat(600), Buffer.from('{"k":"x","o":"y"}').toString("base64url")])(
    "tampered cursor %# → 400",
    async (cursor) => {
      const res = await t.app.request(`/notes?cursor=${encodeURIComponent(cursor)}`, { headers: authHeaders(alice) });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "validation_failed" } });
    },
  );

  it("a malformed note id is 404, like a missing one", async () => {
    const res = await t.app.request("/notes/not-a-uuid", { headers: authHeaders(alice) });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("unknown paths and /health", async () => {
    expect((await t.app.request("/nope", { headers: authHeaders(alice) })).status).toBe(404);
    const health = await t.app.request("/health");
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
  });
});

describe("two users: A's notes never reach B", () => {
  it("hides A's notes from B's list, get, update and delete (404), even with A's cursor", async () => {
    const a = idToken("44444444-aaaa-4aaa-8aaa-444444444444");
    const b = idToken("55555555-bbbb-4bbb-8bbb-555555555555");
    const aNotes: Note[] = [];
    for (let i = 0; i < 3; i++) aNotes.push((await create(a, `secret ${i}`, "for A only")).note);
    const bNote = (await create(b, "B's own")).note;

    const bList = await jsonOf<NoteList>(await t.app.request("/notes", { headers: authHeaders(b) }));
    expect(bList.items.map((n) => n.id)).toEqual([bNote.id]);

    for (const note of aNotes) {
      const url = `/notes/${note.id}`;
      expect((await t.app.request(url, { headers: authHeaders(b) })).status).toBe(404);
      const put = await t.app.request(url, {
        method: "PUT",
        headers: jsonHeaders(b, { "If-Match": '"1"' }),
        body: JSON.stringify({ title: "pwned", body: "" }),
      });
      expect(put.status).toBe(404);
      expect((await t.app.request(url, { method: "DELETE", headers: authHeaders(b) })).status).toBe(404);
      expect((await t.app.request(url, { method: "DELETE", headers: authHeaders(b, { "If-Match": "*" }) })).status).toBe(404);
    }

    // A cursor from A's listing, replayed by B: refused, never a page of A's notes.
    const aPage = await jsonOf<NoteList>(await t.app.request("/notes?limit=1", { headers: authHeaders(a) }));
    expect(aPage.nextCursor).toBeTruthy();
    const replay = await t.app.request(`/notes?limit=1&cursor=${aPage.nextCursor}`, { headers: authHeaders(b) });
    expect(replay.status).toBe(400);

    // A's notes are untouched by all of B's attempts.
    const aList = await jsonOf<NoteList>(await t.app.request("/notes", { headers: authHeaders(a) }));
    expect(aList.items.map((n) => n.title).sort()).toEqual(["secret 0", "secret 1", "secret 2"]);
    expect(aList.items.every((n) => n.version === 1)).toBe(true);
  });

  it("a body userId or x-user-id header does not change whose note is created", async () => {
    const a = idToken("66666666-aaaa-4aaa-8aaa-666666666666");
    const b = idToken("77777777-bbbb-4bbb-8bbb-777777777777");
    const res = await t.app.request("/notes", {
      method: "POST",
      headers: jsonHeaders(a, { "x-user-id": "77777777-bbbb-4bbb-8bbb-777777777777" }),
      body: JSON.stringify({ title: "mine", body: "" }),
    });
    expect(res.status).toBe(201);
    expect((await jsonOf<NoteList>(await t.app.request("/notes", { headers: authHeaders(b) }))).items).toEqual([]);
    expect((await jsonOf<NoteList>(await t.app.request("/notes", { headers: authHeaders(a) }))).items).toHaveLength(1);
  });
});
