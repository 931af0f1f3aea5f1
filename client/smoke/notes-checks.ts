/** Notes: a CRUD round trip with ETag/If-Match, an Idempotency-Key repeat, and user B unable to read, change or delete A's note. */
import { randomUUID } from "node:crypto";
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeyHeaderValue } from "../../contract/idempotency-key";
import type { Note, NoteList } from "../../contract/notes";
import { resolveLocation } from "../api";
import type { Check, SmokeContext } from "./context";
import { expectError, expectStatus, expectThat, header, objectBody } from "./expect";

const path = (id: string): string => `/notes/${encodeURIComponent(id)}`;

async function createNote(ctx: SmokeContext, authorization: string, title: string): Promise<{ note: Note; etag: string }> {
  const res = await ctx.request("POST", "/notes", { authorization, json: { title, body: "written by the smoke suite" } });
  expectStatus(res, 201, "POST /notes");
  const note = objectBody<Note>(res);
  const location = resolveLocation(ctx.outputs.apiUrl, "/notes", header(res, "location")).pathname;
  expectThat(location.endsWith(`/notes/${note.id}`), `Location ${location} does not name note ${note.id}`);
  return { note, etag: header(res, "etag") };
}

const crud: Check = {
  name: "CRUD round trip (create, get, list, update with If-Match, 428, 412, delete)",
  run: async (ctx) => {
    const auth = ctx.a.tokens.idToken;
    const { note, etag } = await createNote(ctx, auth, "smoke round trip");

    const got = await ctx.request("GET", path(note.id), { authorization: auth });
    expectStatus(got, 200, "GET note");
    expectThat(header(got, "etag") === etag, `GET ETag ${header(got, "etag")} differs from POST ETag ${etag}`);

    const list = await ctx.request("GET", "/notes?limit=100", { authorization: auth });
    expectStatus(list, 200, "GET /notes");
    expectThat(
      objectBody<NoteList>(list).items.some((n) => n.id === note.id),
      "the new note is not in the list",
    );

    const edit = { title: "smoke round trip (edited)", body: "edited" };
    expectError(await ctx.request("PUT", path(note.id), { authorization: auth, json: edit }), 428, "precondition_required");
    const put = await ctx.request("PUT", path(note.id), { authorization: auth, json: edit, headers: { "if-match": etag } });
    expectStatus(put, 200, "PUT with If-Match");
    const updated = objectBody<Note>(put);
    expectThat(updated.title === edit.title && updated.version === note.version + 1, `PUT answered ${JSON.stringify(updated)}`);
    expectThat(header(put, "etag") !== etag, "the ETag did not change after an update");
    expectError(await ctx.request("PUT", path(note.id), { authorization: auth, json: edit, headers: { "if-match": etag } }), 412, "precondition_failed");

    expectStatus(await ctx.request("DELETE", path(note.id), { authorization: auth }), 204, "DELETE");
    expectError(await ctx.request("GET", path(note.id), { authorization: auth }), 404, "not_found");
    return `201 → 200 → listed → 428 → 200 v${updated.version} → 412 → 204 → 404`;
  },
};

const idempotencyKey: Check = {
  name: "Idempotency-Key (a repeat answers the same note and creates none; another payload is 422)",
  run: async (ctx) => {
    const auth = ctx.a.tokens.idToken;
    const headers = { [IDEMPOTENCY_KEY_HEADER]: idempotencyKeyHeaderValue(randomUUID()) };
    const json = { title: "smoke idempotent create", body: "sent twice" };
    const first = await ctx.request("POST", "/notes", { authorization: auth, json, headers });
    expectStatus(first, 201, "POST /notes with Idempotency-Key");
    const note = objectBody<Note>(first);
    try {
      const again = await ctx.request("POST", "/notes", { authorization: auth, json, headers });
      expectStatus(again, 201, "the same POST repeated with its Idempotency-Key");
      const replayed = objectBody<Note>(again);
      expectThat(replayed.id === note.id, `the repeat answered note ${replayed.id}, not ${note.id}`);
      expectThat(header(again, "etag") === header(first, "etag"), "the repeat answered another ETag");
      expectError(await ctx.request("POST", "/notes", { authorization: auth, json: { ...json, body: "other" }, headers }), 422, "idempotency_key_reused");
      const list = objectBody<NoteList>(await ctx.request("GET", "/notes?limit=100", { authorization: auth }));
      const copies = list.items.filter((n) => n.title === json.title).length;
      expectThat(copies === 1, `${copies} notes from one Idempotency-Key`);
      return `201 → 201 same note → 422 → 1 note`;
    } finally {
      await ctx.request("DELETE", path(note.id), { authorization: auth });
    }
  },
};

/** A's note, created for the isolation checks and removed afterwards. */
async function withNoteOfA<T>(ctx: SmokeContext, fn: (note: Note, etag: string) => Promise<T>): Promise<T> {
  const { note, etag } = await createNote(ctx, ctx.a.tokens.idToken, "private to A");
  try {
    return await fn(note, etag);
  } finally {
    await ctx.request("DELETE", path(note.id), { authorization: ctx.a.tokens.idToken });
  }
}

async function expectUnchanged(ctx: SmokeContext, note: Note): Promise<void> {
  const res = await ctx.request("GET", path(note.id), { authorization: ctx.a.tokens.idToken });
  expectStatus(res, 200, "A reading its own note afterwards");
  const now = objectBody<Note>(res);
  expectThat(now.version === note.version && now.title === note.title, `A's note changed: ${JSON.stringify(now)}`);
}

const isolation: readonly Check[] = [
  {
    name: "user B cannot read A's note (404, existence not disclosed)",
    run: (ctx) =>
      withNoteOfA(ctx, async (note) => {
        const detail = expectError(await ctx.request("GET", path(note.id), { authorization: ctx.b.tokens.idToken }), 404, "not_found");
        const list = await ctx.request("GET", "/notes?limit=100", { authorization: ctx.b.tokens.idToken });
        expectStatus(list, 200, "B's list");
        expectThat(!objectBody<NoteList>(list).items.some((n) => n.id === note.id), "A's note is in B's list");
        return `${detail}; not in B's list`;
      }),
  },
  {
    name: "user B cannot change A's note (404; A's note unchanged)",
    run: (ctx) =>
      withNoteOfA(ctx, async (note, etag) => {
        const json = { title: "changed by B", body: "" };
        const detail = expectError(
          await ctx.request("PUT", path(note.id), { authorization: ctx.b.tokens.idToken, json, headers: { "if-match": etag } }),
          404,
          "not_found",
        );
        await expectUnchanged(ctx, note);
        return detail;
      }),
  },
  {
    name: "user B cannot delete A's note (404; A's note still there)",
    run: (ctx) =>
      withNoteOfA(ctx, async (note) => {
        const detail = expectError(await ctx.request("DELETE", path(note.id), { authorization: ctx.b.tokens.idToken }), 404, "not_found");
        await expectUnchanged(ctx, note);
        return detail;
      }),
  },
];

export const notesChecks: readonly Check[] = [crud, idempotencyKey, ...isolation];
