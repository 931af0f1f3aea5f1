/** Note shapes shared by the service, the client and the tests; their limits are in contract/note-limits.ts. */
import type { z } from "zod";
import type { noteListSchema, noteSchema } from "./schemas";

/** `{id, title, body, createdAt, updatedAt, version}` (contract/schemas.ts). */
export type Note = z.infer<typeof noteSchema>;

/** `{items, nextCursor}` (contract/schemas.ts). */
export type NoteList = z.infer<typeof noteListSchema>;
