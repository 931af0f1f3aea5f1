import { uuidv7 } from "uuidv7";

/** Note ids are UUIDv7: time-ordered, so the sort key lists newest first with ScanIndexForward=false. */
export const newNoteId: () => string = uuidv7;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isNoteId(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}
