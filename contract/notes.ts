/** Note shapes and limits shared by the service, the client and the tests. */
import type { z } from "zod";
import type { noteListSchema, noteSchema } from "./schemas";

/** `{id, title, body, createdAt, updatedAt, version}` (contract/schemas.ts). */
export type Note = z.infer<typeof noteSchema>;

/** `{items, nextCursor}` (contract/schemas.ts). */
export type NoteList = z.infer<typeof noteListSchema>;

export const noteLimits = {
  titleMin: 1,
  titleMax: 200,
  bodyMax: 10_000,
  /** Request bodies above this are refused with 413 before being read whole. */
  requestBodyMaxBytes: 16 * 1024,
  listDefault: 20,
  listMax: 100,
} as const;
