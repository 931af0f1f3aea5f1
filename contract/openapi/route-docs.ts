/**
 * What the OpenAPI document says about each route of the table (contract/routes.ts), keyed by
 * route id: a `Record<RouteId, RouteDoc>`, so a route added to the table without documentation
 * here does not typecheck. Method, path and path parameters come from the table itself.
 */
import type { RouteId } from "../routes";
import type { ErrorResponseName } from "./error-responses";

/** The bodies the document names (components.schemas), generated from contract/schemas.ts. */
export type SchemaName = "NoteInput" | "Note" | "NoteList" | "Me" | "ErrorBody" | "AccountExport" | "AccountDeletionPending";

/** Response headers a route declares, by their name on the wire (document.ts maps them to components). */
export type ResponseHeaderName = "ETag" | "Location" | "Retry-After" | "Content-Disposition";

export interface RouteDoc {
  readonly summary: string;
  readonly description: string;
  readonly tag: "me" | "notes";
  /** Query parameters (GET /notes: limit, cursor), from contract/schemas.ts `listQuerySchema`. */
  readonly listQuery?: true;
  /** The optional `Idempotency-Key` request header (POST /notes, contract/idempotency-key.ts). */
  readonly idempotencyKey?: true;
  /** `If-Match`: required (428 without) or optional. */
  readonly ifMatch?: "required" | "optional";
  /** A JSON request body. */
  readonly requestBody?: SchemaName;
  readonly success: {
    readonly status: 200 | 201 | 204;
    readonly description: string;
    /** JSON body; undefined = none (204). */
    readonly body?: SchemaName;
    readonly headers?: readonly ResponseHeaderName[];
  };
  /** A second 2xx the route answers: DELETE /me's 202 while a deletion is under way. */
  readonly pending?: {
    readonly status: 202;
    readonly description: string;
    readonly body: SchemaName;
    readonly headers: readonly ResponseHeaderName[];
  };
  /**
   * Errors this route can answer beyond those of every route (401, 403, 429, 500, 503, 504 and
   * the gateway's 4XX/5XX ranges, see document.ts).
   */
  readonly errors: readonly ErrorResponseName[];
}

/** Errors of any route that takes a JSON body: its parsing and limits. */
const bodyErrors: readonly ErrorResponseName[] = ["ValidationFailed", "PayloadTooLarge", "UnsupportedMediaType"];

export const routeDocs: Readonly<Record<RouteId, RouteDoc>> = {
  getMe: {
    summary: "Who am I",
    description: "The caller's identity, from the claims of the id token (nothing is read from the table).",
    tag: "me",
    success: { status: 200, description: "The caller's identity.", body: "Me" },
    errors: [],
  },
  listNotes: {
    summary: "List my notes",
    description: "The caller's notes, newest first, a page at a time. Follow `nextCursor` until it is null.",
    tag: "notes",
    listQuery: true,
    success: { status: 200, description: "One page of notes.", body: "NoteList" },
    errors: ["ValidationFailed"],
  },
  createNote: {
    summary: "Create a note",
    description:
      "Stores a new note for the caller; its id is generated (UUIDv7). Send an `Idempotency-Key` to make a retry safe: " +
      "a repeat with the same key and payload within 24 h answers with the note the first request created (201, same id, " +
      "Location and ETag) and creates no other; the same key with another payload is 422.",
    tag: "notes",
    idempotencyKey: true,
    requestBody: "NoteInput",
    success: {
      status: 201,
      description: "The note, as stored (for a repeated `Idempotency-Key`: the note that key created, as first answered).",
      body: "Note",
      headers: ["Location", "ETag"],
    },
    errors: [...bodyErrors, "IdempotencyKeyReused"],
  },
  getNote: {
    summary: "Get a note",
    description: "One of the caller's notes, with its ETag for a later update.",
    tag: "notes",
    success: { status: 200, description: "The note.", body: "Note", headers: ["ETag"] },
    errors: ["NotFound"],
  },
  updateNote: {
    summary: "Replace a note's title and body",
    description: "Optimistic concurrency: send the ETag you read as `If-Match`; a stale one is 412, none is 428.",
    tag: "notes",
    ifMatch: "required",
    requestBody: "NoteInput",
    success: { status: 200, description: "The note after the update (version + 1).", body: "Note", headers: ["ETag"] },
    errors: [...bodyErrors, "NotFound", "PreconditionFailed", "PreconditionRequired"],
  },
  deleteNote: {
    summary: "Delete a note",
    description: "Deletes one of the caller's notes; with `If-Match`, only if it is still at that version.",
    tag: "notes",
    ifMatch: "optional",
    success: { status: 204, description: "Deleted." },
    errors: ["NotFound", "PreconditionFailed"],
  },
  deleteMe: {
    summary: "Delete my account",
    description:
      "Deletes every note of the caller and their Cognito user, for good. From the first request on, the account can create nothing. " +
      "Usually takes well under a second. On 202 or 503, repeat after `Retry-After`: it resumes where it stopped; " +
      "if the app never does, the service finishes the deletion itself within 15 minutes. " +
      "Afterwards the id token stays valid until it expires, but reads return nothing and creates are 401.",
    tag: "me",
    success: { status: 204, description: "The account and all its data are gone (a repeat is 204 too). Sign the user out." },
    pending: {
      status: 202,
      description:
        "Under way, nothing failed, not finished by this request (out of time, or another request is working on it): repeat after `Retry-After` seconds.",
      body: "AccountDeletionPending",
      headers: ["Retry-After"],
    },
    errors: [],
  },
  exportMe: {
    summary: "Export my data",
    description:
      "All of the caller's data as one JSON document (profile and every note), streamed as an attachment. " +
      "A store failure before the response starts is 503; after that the connection is cut, so a download that does not end cleanly is incomplete.",
    tag: "me",
    success: { status: 200, description: "The caller's data.", body: "AccountExport", headers: ["Content-Disposition"] },
    errors: [],
  },
};
