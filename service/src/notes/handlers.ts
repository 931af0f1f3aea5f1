import type { Context } from "hono";
import type { RouteId } from "../../../contract/routes";
import type { Note } from "../../../contract/notes";
import { listQuerySchema, noteInputSchema } from "../../../contract/schemas";
import { AccountDeletedError } from "../account/tombstones";
import type { AppEnv } from "../app-env";
import { UnauthorizedError } from "../auth/errors";
import type { Clock } from "../clock";
import { Deadline, DeadlineExceededError } from "../deadline";
import { ApiError } from "../http/api-error";
import { etagOf, versionsFromIfMatch } from "../http/etag";
import { requestHeader, setResponseHeader } from "../http/header";
import { readJson } from "../http/json-body";
import { decodeCursor, encodeCursor } from "./cursor";
import { isNoteId, newNoteId } from "./note-id";
import {
  NoteExistsError,
  NoteNotFoundError,
  StoreRequestError,
  StoreUnavailableError,
  VersionConflictError,
  type NoteStore,
} from "./store";
import { parseOr400 } from "./validation";

export type NoteRouteId = Exclude<RouteId, "getMe" | "deleteMe" | "exportMe">;
export type Handler = (c: Context<AppEnv>) => Promise<Response> | Response;

/**
 * One handler per notes route of the contract table. The owner is always the token's sub. A create
 * is refused for a deleted account (a still-valid token creates nothing): the store checks the
 * tombstone in the create's own transaction. Every write carries a deadline (account/timing.ts).
 */
export function noteHandlers(store: NoteStore, clock: Clock, writeDeadlineMs: number): Record<NoteRouteId, Handler> {
  return {
    async listNotes(c) {
      const { sub } = c.get("claims");
      const query = parseOr400(listQuerySchema, { limit: c.req.query("limit"), cursor: c.req.query("cursor") });
      const after = query.cursor === undefined ? undefined : decodeCursor(sub, query.cursor);
      const page = await guard(() => store.list(sub, query.limit, after));
      return c.json({ items: page.items, nextCursor: page.lastNoteId ? encodeCursor(sub, page.lastNoteId) : null });
    },

    async createNote(c) {
      const { sub } = c.get("claims");
      const input = parseOr400(noteInputSchema, await readJson(c));
      const now = new Date(clock.now()).toISOString();
      const note: Note = { id: newNoteId(), ...input, createdAt: now, updatedAt: now, version: 1 };
      await guard(() => store.create(sub, note, Deadline.after(writeDeadlineMs)));
      // Relative reference without a leading slash: resolves under the stage prefix (/prod/notes/…).
      setResponseHeader(c, "location", `notes/${note.id}`);
      return withETag(c, note, 201);
    },

    async getNote(c) {
      const { sub } = c.get("claims");
      const note = await guard(() => store.get(sub, noteIdParam(c)));
      if (!note) throw notFound();
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
      const note = await guard(() =>
        store.update(sub, noteId, expected, { ...input, updatedAt: new Date(clock.now()).toISOString() }, deadline),
      );
      return withETag(c, note, 200);
    },

    async deleteNote(c) {
      const { sub } = c.get("claims");
      const noteId = noteIdParam(c);
      const ifMatch = requestHeader(c, "if-match");
      const deadline = Deadline.after(writeDeadlineMs);
      const expected = ifMatch === undefined ? undefined : await expectedVersion(store, sub, noteId, ifMatch);
      await guard(() => store.delete(sub, noteId, expected, deadline));
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

/** A malformed id cannot name any note: 404, like a missing one. */
function noteIdParam(c: Context<AppEnv>): string {
  const id = c.req.param("noteId");
  if (!isNoteId(id)) throw notFound();
  return id;
}

/** The version to write against: the one If-Match names, or the current one if it is listed / `*`. */
async function expectedVersion(store: NoteStore, sub: string, noteId: string, ifMatch: string): Promise<number> {
  const versions = versionsFromIfMatch(ifMatch);
  if (Array.isArray(versions) && versions.length === 1) return versions[0] as number;
  const current = await guard(() => store.get(sub, noteId));
  if (!current) throw notFound();
  if (versions !== "any" && !versions.includes(current.version)) throw stale();
  return current.version;
}

/** Store errors → the contract's client errors. */
async function guard<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof NoteNotFoundError) throw notFound();
    if (err instanceof VersionConflictError) throw stale();
    if (err instanceof StoreUnavailableError) {
      throw new ApiError("unavailable", "The data store is unavailable, retry later", {
        headers: { "Retry-After": String(err.retryAfterSeconds) },
        reason: "store_unavailable",
        cause: err,
      });
    }
    if (err instanceof StoreRequestError) throw new ApiError("validation_failed", "Invalid request", { cause: err });
    if (err instanceof NoteExistsError) throw new ApiError("unavailable", "Please retry", { headers: { "Retry-After": "1" }, cause: err });
    if (err instanceof DeadlineExceededError) {
      throw new ApiError("unavailable", "The data store is slow, retry later", { headers: { "Retry-After": "1" }, reason: "deadline_exceeded", cause: err });
    }
    // The token is still valid (it cannot be revoked at the gateway), but its account is gone.
    if (err instanceof AccountDeletedError) throw new UnauthorizedError("account_deleted", err);
    throw err;
  }
}

function notFound(): ApiError {
  return new ApiError("not_found", "Note not found");
}

function stale(): ApiError {
  return new ApiError("precondition_failed", "The note has changed; fetch it again for its current ETag");
}
