/** Account lifecycle shapes shared by the service, the client and the tests: GET /me/export and DELETE /me. */
import type { MeResponse } from "./claims";
import type { Note } from "./notes";

/**
 * The body of `GET /me/export`: everything the API holds about the caller, as one JSON document.
 * Streamed in this key order (`exportedAt`, `profile`, `notes`), notes newest first as `GET /notes`
 * lists them, so the document equals `JSON.stringify` of this object.
 */
export interface AccountExport {
  /** When the export started (ISO 8601). */
  exportedAt: string;
  /** The `GET /me` body of the token the export was made with. */
  profile: MeResponse;
  notes: Note[];
}

/** The attachment's file name for an export started at `exportedAt` (ISO 8601). */
export function exportFileName(exportedAt: string): string {
  return `user-aware-api-export-${exportedAt.replace(/[:.]/g, "-")}.json`;
}

/**
 * The body of `DELETE /me` → 202: the deletion is under way but did not finish within this request
 * (a large account, or the fence still running). Nothing was lost; repeat `DELETE /me` after
 * `Retry-After` seconds until it answers 204.
 */
export interface AccountDeletionPending {
  status: "deleting";
  message: string;
}
