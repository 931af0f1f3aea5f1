/** Account lifecycle shapes shared by the service, the client and the tests: GET /me/export and DELETE /me. */
import type { z } from "zod";
import type { accountDeletionPendingSchema, accountExportSchema } from "./schemas";

/**
 * The body of `GET /me/export` (contract/schemas.ts): everything the API holds about the caller,
 * as one JSON document — `exportedAt` (when the export started), `profile` (the `GET /me` body of
 * the token it was made with), `notes` newest first as `GET /notes` lists them. Streamed in this
 * key order, so the document equals `JSON.stringify` of this object.
 */
export type AccountExport = z.infer<typeof accountExportSchema>;

/** The attachment's file name for an export started at `exportedAt` (ISO 8601). */
export function exportFileName(exportedAt: string): string {
  return `user-aware-api-export-${exportedAt.replace(/[:.]/g, "-")}.json`;
}

/**
 * The body of `DELETE /me` → 202: the deletion is under way but was not finished by this request
 * (a large account, or another request or the service's reaper is working on it). Nothing was lost; repeat `DELETE /me` after
 * `Retry-After` seconds until it answers 204.
 */
export type AccountDeletionPending = z.infer<typeof accountDeletionPendingSchema>;
