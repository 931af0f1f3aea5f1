/**
 * Idempotency-Key records of POST /notes. A record is an item in the user's own partition, under
 * the sort key `~idem#<key>`: it can never be a note id (notes are UUIDs, and `~` sorts after
 * every one, outside NOTE_ID_RANGE, so it is never listed, paged or exported), and it goes with the
 * account (DELETE /me's sweep deletes every item of the partition). It is written in the same
 * transaction as the note it names, so a record exists exactly when its note was created.
 *
 * It holds the payload's hash, the note's id and creation time: a repeat with the same payload is
 * answered with the original note rebuilt from them (the payload gives title and body, a new note is
 * at version 1 with updatedAt = createdAt), so no copy of the body is stored. DynamoDB's TTL
 * deletes it after 24 h, lazily (up to days later): a record past `expiresAt` counts as absent.
 */
import { createHash } from "node:crypto";
import type { Note } from "../../../contract/notes";
import { TTL_ATTRIBUTE } from "../../../contract/notes-table";

export const IDEMPOTENCY_SORT_KEY_PREFIX = "~idem#";

/** A create's payload, as validated. */
export type NoteInput = Pick<Note, "title" | "body">;

/** What a create with an Idempotency-Key passes to the store. */
export interface IdempotencyClaim {
  readonly key: string;
  /** SHA-256 (hex) of the request's payload: the same key with another payload is refused. */
  readonly payloadHash: string;
}

/** The record as stored (besides its keys). */
export interface IdempotencyRecord {
  readonly payloadHash: string;
  readonly createdNoteId: string;
  readonly createdAt: string;
  /** Epoch seconds: the table's TTL attribute. */
  readonly expiresAt: number;
}

/** The same key with another payload: 422, as the draft says. */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = "IdempotencyKeyReusedError";
}

/** The payload's hash: title and body as validated (JSON formatting and key order do not matter). */
export function payloadHash(input: NoteInput): string {
  return createHash("sha256")
    .update(JSON.stringify([input.title, input.body]))
    .digest("hex");
}

export function idempotencySortKey(key: string): string {
  return `${IDEMPOTENCY_SORT_KEY_PREFIX}${key}`;
}

/** The record's item for a note created now. */
export function recordItem(userId: string, claim: IdempotencyClaim, note: Note, lifetimeMs: number): Record<string, unknown> & { noteId: string } {
  return {
    userId,
    noteId: idempotencySortKey(claim.key),
    payloadHash: claim.payloadHash,
    createdNoteId: note.id,
    createdAt: note.createdAt,
    [TTL_ATTRIBUTE]: Math.ceil((Date.parse(note.createdAt) + lifetimeMs) / 1000),
  };
}

/** A stored record, if it is well-formed and still live at `nowMs`. */
export function liveRecord(item: Record<string, unknown> | undefined, nowMs: number): IdempotencyRecord | undefined {
  if (!item) return undefined;
  const { payloadHash: hash, createdNoteId, createdAt } = item;
  const expiresAt = item[TTL_ATTRIBUTE];
  if (typeof hash !== "string" || typeof createdNoteId !== "string" || typeof createdAt !== "string" || typeof expiresAt !== "number") return undefined;
  // In whole seconds, as the create transaction's condition compares it (create-transaction.ts).
  if (expiresAt <= Math.floor(nowMs / 1000)) return undefined;
  return { payloadHash: hash, createdNoteId, createdAt, expiresAt };
}

/** The note the first request with this key created, as it answered it. */
export function originalNote(record: IdempotencyRecord, input: NoteInput): Note {
  return { id: record.createdNoteId, title: input.title, body: input.body, createdAt: record.createdAt, updatedAt: record.createdAt, version: 1 };
}
