/**
 * The API's request and response bodies as zod schemas, in one place: the service parses requests
 * with them (service/src/notes/handlers.ts), the contract's types (`Note`, `NoteList`,
 * `MeResponse`, `ErrorBody`) are inferred from them, and contract/openapi generates openapi.json
 * from them — so the document, the types and the service's checks cannot drift apart.
 */
import * as z from "zod";
import { errorStatus, type ErrorCode } from "./error-codes";
import { noteLimits } from "./note-limits";

/** An instant as `Date.prototype.toISOString()` writes it: UTC, milliseconds, `Z`. */
const instant = z.iso.datetime();

const title = z
  .string()
  .min(noteLimits.titleMin)
  .max(noteLimits.titleMax)
  .regex(/\S/, "must not be blank")
  .describe(`${noteLimits.titleMin}..${noteLimits.titleMax} characters, not only white space`);
const body = z.string().max(noteLimits.bodyMax).describe(`At most ${noteLimits.bodyMax} characters`);

/** POST /notes and PUT /notes/{noteId}: exactly `{title, body}`; unknown fields are refused (400). */
export const noteInputSchema = z
  .strictObject({ title, body })
  .describe(`A note's content. Unknown fields are refused; the whole body is at most ${noteLimits.requestBodyMaxBytes} bytes.`);

/** GET /notes query: `limit` 1..100 (default 20), `cursor` the previous page's `nextCursor`. */
export const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(noteLimits.listMax).default(noteLimits.listDefault).describe(`Items per page, 1..${noteLimits.listMax}`),
  cursor: z.string().min(1).optional().describe("The `nextCursor` of the previous page, as is (opaque)"),
});

export const noteSchema = z
  .object({
    id: z.uuid().describe("UUIDv7: time-ordered, so newer notes sort first"),
    title,
    body,
    createdAt: instant,
    updatedAt: instant,
    version: z.number().int().min(1).describe("Starts at 1, +1 per update; the ETag is this number in quotes"),
  })
  .describe("A note of the caller's");

export const noteListSchema = z
  .object({
    items: z.array(noteSchema).max(noteLimits.listMax).describe("Newest first"),
    nextCursor: z.string().min(1).nullable().describe("Pass as `cursor` for the next page; null on the last page"),
  })
  .describe("One page of the caller's notes");

export const meSchema = z
  .object({
    sub: z.string().min(1).describe("The caller's Cognito user id; everything they own is keyed by it"),
    email: z.string().nullable(),
    emailVerified: z.boolean(),
    username: z.string().nullable().describe("`cognito:username` (for email sign-in pools, the sub)"),
    groups: z.array(z.string()).describe("`cognito:groups`; empty when none"),
    tokenIssuedAt: instant,
    tokenExpiresAt: instant,
  })
  .describe("The caller's identity, from the claims of their id token");

/** GET /me/export (contract/account.ts): in this key order, notes newest first. */
export const accountExportSchema = z
  .object({
    exportedAt: instant.describe("When the export started"),
    profile: meSchema,
    notes: z.array(noteSchema).describe("Every note of the caller, newest first, as GET /notes/{noteId} returns it"),
  })
  .describe("All of the caller's data. Streamed: a download that does not end cleanly is incomplete, retry it");

/** DELETE /me → 202: under way, repeat after Retry-After until 204 (contract/account.ts). */
export const accountDeletionPendingSchema = z
  .object({
    status: z.literal("deleting"),
    message: z.string().describe("For people"),
  })
  .describe("The deletion is under way and nothing failed, but it did not finish within this request: repeat DELETE /me after Retry-After seconds");

const errorCodes = Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]];

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(errorCodes),
      message: z.string().describe("For people; branch on `code`"),
    }),
  })
  .describe("Every error, from the service and from the gateway alike");
