/**
 * What the OpenAPI document says about each route of the table (contract/routes.ts), keyed by
 * route id: a `Record<RouteId, RouteDoc>`, so a route added to the table without documentation
 * here does not typecheck. Method, path and path parameters come from the table itself.
 */
import type { RouteId } from "../routes";
import type { ErrorResponseName } from "./error-responses";

/** The bodies the document names (components.schemas), generated from contract/schemas.ts. */
export type SchemaName = "NoteInput" | "Note" | "NoteList" | "Me" | "ErrorBody";

export type ResponseHeaderName = "ETag" | "Location";

export interface RouteDoc {
  readonly summary: string;
  readonly description: string;
  readonly tag: "me" | "notes";
  /** Query parameters (GET /notes: limit, cursor), from contract/schemas.ts `listQuerySchema`. */
  readonly listQuery?: true;
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
    description: "Stores a new note for the caller; its id is generated (UUIDv7).",
    tag: "notes",
    requestBody: "NoteInput",
    success: { status: 201, description: "The note, as stored.", body: "Note", headers: ["Location", "ETag"] },
    errors: bodyErrors,
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
};
