/**
 * Concurrency: concurrent creates lose none; concurrent updates of one note
 * with the same version have exactly one winner; read-modify-write clients that retry on 412 lose
 * no update.
 */
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Note } from "../../contract/notes";
import { authHeaders, jsonHeaders, jsonOf, listAll, useTestApp } from "../helpers/app";
import { idToken } from "../helpers/tokens";

const t = useTestApp();

async function createNote(token: string, title: string, body = ""): Promise<Response> {
  return t.app.request("/notes", { method: "POST", headers: jsonHeaders(token), body: JSON.stringify({ title, body }) });
}

describe("concurrent creates", () => {
  it("1 000 concurrent POSTs: all 201, distinct ids, every one listed afterwards, newest first", async () => {
    const token = idToken(randomUUID());
    const titles = Array.from({ length: 1_000 }, (_, i) => `concurrent ${i}`);
    const responses = await Promise.all(titles.map((t) => createNote(token, t)));
    expect(responses.map((r) => r.status)).toEqual(titles.map(() => 201));
    const created = await Promise.all(responses.map((r) => jsonOf<Note>(r)));
    expect(new Set(created.map((n) => n.id)).size).toBe(1_000);

    const listed = await listAll(t.app, token);
    expect(listed).toHaveLength(1_000);
    expect(new Set(listed.map((n) => n.title))).toEqual(new Set(titles));
    const ids = listed.map((n) => n.id);
    expect(ids).toEqual([...ids].sort().reverse());
  }, 60_000);
});

describe("concurrent updates of one note", () => {
  it('50 concurrent PUTs with If-Match "1": exactly one 200, 49 × 412, final version 2 with the winner\'s content', async () => {
    const token = idToken(randomUUID());
    const note = await jsonOf<Note>(await createNote(token, "contended", "v1"));
    const bodies = Array.from({ length: 50 }, (_, i) => `writer ${i}`);
    const responses = await Promise.all(
      bodies.map((body) =>
        t.app.request(`/notes/${note.id}`, {
          method: "PUT",
          headers: jsonHeaders(token, { "If-Match": '"1"' }),
          body: JSON.stringify({ title: "contended", body }),
        }),
      ),
    );
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(49);
    const winner = await jsonOf<Note>(responses[statuses.indexOf(200)] as Response);
    for (const loser of responses.filter((r) => r.status === 412)) {
      expect(await loser.json()).toMatchObject({ error: { code: "precondition_failed" } });
    }

    const final = await t.app.request(`/notes/${note.id}`, { headers: authHeaders(token) });
    expect(final.headers.get("etag")).toBe('"2"');
    expect(await final.json()).toEqual(winner);
    expect(winner.version).toBe(2);
  });

  it("20 clients each append once with read-modify-write, retrying on 412: no lost update", async () => {
    const token = idToken(randomUUID());
    const note = await jsonOf<Note>(await createNote(token, "counter", ""));
    const clients = Array.from({ length: 20 }, (_, i) => `[c${i}]`);
    let conflicts = 0;
    await Promise.all(
      clients.map(async (mark) => {
        for (;;) {
          const got = await t.app.request(`/notes/${note.id}`, { headers: authHeaders(token) });
          const current = await jsonOf<Note>(got);
          const put = await t.app.request(`/notes/${note.id}`, {
            method: "PUT",
            headers: jsonHeaders(token, { "If-Match": got.headers.get("etag") ?? "" }),
            body: JSON.stringify({ title: "counter", body: current.body + mark }),
          });
          if (put.status === 200) return;
          expect(put.status).toBe(412);
          conflicts++;
        }
      }),
    );
    const final = await jsonOf<Note>(await t.app.request(`/notes/${note.id}`, { headers: authHeaders(token) }));
    expect(final.version).toBe(1 + clients.length);
    for (const mark of clients) expect(final.body.split(mark)).toHaveLength(2);
    // The race really happened (otherwise this proves nothing about lost updates).
    expect(conflicts).toBeGreaterThan(0);
  }, 60_000);

  it("concurrent DELETEs of one note: exactly one 204, the rest 404", async () => {
    const token = idToken(randomUUID());
    const note = await jsonOf<Note>(await createNote(token, "to delete"));
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => t.app.request(`/notes/${note.id}`, { method: "DELETE", headers: authHeaders(token, { "If-Match": '"1"' }) })),
    );
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 204)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 204).every((s) => s === 404)).toBe(true);
  });
});
