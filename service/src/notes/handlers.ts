import type { Context } from "hono";
import { parseIdempotencyKey } from "../../../contract/idempotency-key";
import type { RouteId } from "../../../contract/routes";
import type { Note } from "../../../contract/notes";
import { listQuerySchema, noteInputSchema } from "../../../contract/schemas";
import type { AppEnv } from "../app-env";
import type { Clock } from "../clock";
import { Deadline } from "../deadline";
import { ApiError } from "../http/api-error";
import { etagOf, versionsFromIfMatch } from "../http/etag";
import { requestHeader, setResponseHeader } from "../http/header";
import { readJson } from "../http/json-body";
import { decodeCursor, encodeCursor } from "./cursor";
import { payloadHash } from "./idempotency";
import { isNoteId, newNoteId } from "./note-id";
import { NoteNotFoundError, VersionConflictError, type NoteStore } from "./store";
import { parseOr400 } from "./validation";

export type NoteRouteId = Exclude<RouteId, "getMe" | "deleteMe" | "exportMe">;
export type Handler = (c: Context<AppEnv>) => Promise<Response> | Response;

/**
 * One handler per notes route of the contract table. The owner is always the token's sub. A create
 * is refused for a deleted account (a still-valid token creates nothing): the store checks the
 * tombstone in the create's own transaction. Every write carries a deadline (account/timing.ts).
 * Store and account errors are not caught here: onError answers them (http/error-map.ts).
 */
export function noteHandlers(store: NoteStore, clock: Clock, writeDeadlineMs: number): Record<NoteRouteId, Handler> {
  return {
    async listNotes(c) {
      const { sub } = c.get("claims");
      const query = parseOr400(listQuerySchema, { limit: c.req.query("limit"), cursor: c.req.query("cursor") });
      const after = query.cursor === undefined ? undefined : decodeCursor(sub, query.cursor);
      const page = await store.list(sub, query.limit, after);
      return c.json({ items: page.items, nextCursor: page.lastNoteId ? encodeCursor(sub, page.lastNoteId) : null });
    },

    async createNote(c) {
      const { sub } = c.get("claims");
      const key = idempotencyKeyOf(c);
      const input = parseOr400(noteInputSchema, await readJson(c));
      const now = new Date(clock.now()).toISOString();
      const note: Note = { id: newNoteId(), ...input, createdAt: now, updatedAt: now, version: 1 };
      const idempotency = key === undefined ? undefined : { key, payloadHash: payloadHash(input) };
      // A repeated key answers with the note it created, exactly as the first request was answered.
      const answered = await store.create(sub, note, { deadline: Deadline.after(writeDeadlineMs), idempotency });
      // Relative reference without a leading slash: resolves under the stage prefix (/prod/notes/…).
      setResponseHeader(c, "location", `notes/${answered.id}`);
      return withETag(c, answered, 201);
    },

    async getNote(c) {
      const { sub } = c.get("claims");
      const note = await store.get(sub, noteIdParam(c));
      if (!note) throw new NoteNotFoundError("Note not found");
      return withETag(c, note, 200);
    },

    async updateNote(c) {
      const { sub } = c.get("claims");
      const noteId = noteIdParam(c);
      const ifMatch = requestHeader(c, "if-match");
      if (ifMatch === undefined) {
        throw new ApiError("precondition_required", "If-Match with the note's ETag is required");
      }
      const input = parseOr400(noteInputSchema, await readJson(c));
      const deadline = Deadline.after(writeDeadlineMs);
      const expected = await expectedVersion(store, sub, noteId, ifMatch);
      const note = await store.update(sub, noteId, expected, { ...input, updatedAt: new Date(clock.now()).toISOString() }, deadline);
      return withETag(c, note, 200);
    },

    async deleteNote(c) {
      const { sub } = c.get("claims");
      const noteId = noteIdParam(c);
      const ifMatch = requestHeader(c, "if-match");
      const deadline = Deadline.after(writeDeadlineMs);
      const expected = ifMatch === undefined ? undefined : await expectedVersion(store, sub, noteId, ifMatch);
      await store.delete(sub, noteId, expected, deadline);
      return c.body(null, 204);
    },
  };
}

/**
 * The note with its ETag. Headers go through setResponseHeader (Node's response on the server):
 * passed to `c.json` with another header, they made Hono build a web `Headers` per response.
 * Only ever after the store call succeeded, so an error response never carries them.
 */
function withETag(c: Context<AppEnv>, note: Note, status: 200 | 201): Response {
  setResponseHeader(c, "etag", etagOf(note.version));
  return c.json(note, status);
}

/** The request's Idempotency-Key (contract/idempotency-key.ts), if any; a malformed one is 400. */
function idempotencyKeyOf(c: Context<AppEnv>): string | undefined {
  const value = requestHeader(c, "idempotency-key");
  if (value === undefined) return undefined;
  const parsed = parseIdempotencyKey(value);
  if ("problem" in parsed) throw new ApiError("validation_failed", parsed.problem);
  return parsed.key;
}

/** A malformed id cannot name any note: 404, like a missing one. */
function noteIdParam(c: Context<AppEnv>): string {
  const id = c.req.param("noteId");
  if (!isNoteId(id)) throw new NoteNotFoundError("Note not found");
  return id;
}

/** The version to write against: the one If-Match names, or the current one if it is listed / `*`. */
async function expectedVersion(store: NoteStore, sub: string, noteId: string, ifMatch: string): Promise<number> {
  const versions = versionsFromIfMatch(ifMatch);
  if (Array.isArray(versions) && versions.length === 1) return versions[0] as number;
  const current = await store.get(sub, noteId);
  if (!current) throw new NoteNotFoundError(noteId);
  if (versions !== "any" && !versions.includes(current.version)) throw new VersionConflictError(current.version);
  return current.version;
}
