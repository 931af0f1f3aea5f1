import { uuidv7 } from "uuidv7";

/** Note ids are UUIDv7: time-ordered, so the sort key lists newest first with ScanIndexForward=false. */
export const newNoteId: () => string = uuidv7;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isNoteId(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}

/**
 * The first and last possible note ids. A Query bounded by them (`noteId BETWEEN`) returns notes
 * only: an item of the partition whose sort key is not a note id (the account tombstone
 * `~account`, the Idempotency-Key records `~idem#<key>`) sorts outside and is never returned, so pages keep their size (no filter).
 */
export const NOTE_ID_RANGE = {
  first: "00000000-0000-0000-0000-000000000000",
  last: "ffffffff-ffff-ffff-ffff-ffffffffffff",
} as const;
