import type { Note } from "../../../contract/notes";
import type { Deadline } from "../deadline";
import type { IdempotencyClaim } from "./idempotency";

/** A page of one user's notes, newest first. */
export interface NotePage {
  readonly items: Note[];
  /** The last item's id when more may follow; the handler turns it into an opaque cursor. */
  readonly lastNoteId: string | null;
}

/**
 * One user's notes. Every method takes the owner's id (the token's `sub`) as the partition key;
 * nothing here can reach another user's items.
 *
 * Writes take a `deadline`: nothing is sent after it (see account/timing.ts). Without one, a write
 * gets the store's default deadline from the call (the handlers always pass theirs: a create's
 * starts when it checked the account's tombstone).
 */
export interface NoteStore {
  /**
   * Stores a new note; resolves with the note the request is answered with: this one, or — for an
   * Idempotency-Key already used with the same payload — the note that key created. The same key
   * with another payload rejects with IdempotencyKeyReusedError.
   */
  create(userId: string, note: Note, options?: CreateOptions): Promise<Note>;
  get(userId: string, noteId: string): Promise<Note | undefined>;
  /** Newest first, `limit` items, starting after `afterNoteId` when given. Notes only, never the tombstone. */
  list(userId: string, limit: number, afterNoteId: string | undefined): Promise<NotePage>;
  /**
   * Replace title/body if the stored version is `expectedVersion`. Returns the new note. A write
   * whose first attempt's outcome is unknown and whose retry failed its condition is settled by
   * reading the item (it succeeded if the item holds what it wrote); so is a delete's (gone: done).
   */
  update(userId: string, noteId: string, expectedVersion: number, change: NoteChange, deadline?: Deadline): Promise<Note>;
  /** Delete, if `expectedVersion` is given only when it matches. */
  delete(userId: string, noteId: string, expectedVersion: number | undefined, deadline?: Deadline): Promise<void>;
}

export interface CreateOptions {
  /** Nothing is sent after it; default: the store's write deadline from the call. */
  readonly deadline?: Deadline;
  /** The request's Idempotency-Key and payload hash (notes/idempotency.ts). */
  readonly idempotency?: IdempotencyClaim;
}

export interface NoteChange {
  readonly title: string;
  readonly body: string;
  readonly updatedAt: string;
}

/** No such note for this user (another user's note is the same: existence is not disclosed). */
export class NoteNotFoundError extends Error {
  override readonly name = "NoteNotFoundError";
}

/** The note exists but its version is not the expected one. */
export class VersionConflictError extends Error {
  override readonly name = "VersionConflictError";
  constructor(readonly currentVersion: number) {
    super(`Note is at version ${currentVersion}`);
  }
}

/** Create found an item with the same key (an id collision; never expected with UUIDv7). */
export class NoteExistsError extends Error {
  override readonly name = "NoteExistsError";
}

/** Throttled or unreachable: the caller should retry after `retryAfterSeconds`. */
export class StoreUnavailableError extends Error {
  override readonly name = "StoreUnavailableError";
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The store refused the request's shape (e.g. a start key it cannot use). */
export class StoreRequestError extends Error {
  override readonly name = "StoreRequestError";
}
