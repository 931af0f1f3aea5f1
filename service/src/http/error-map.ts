/**
 * The one table from the errors the service's parts throw (store, deadline, account, user
 * directory) to what the client gets: code, message, headers and the log's reason. Handlers throw
 * these typed errors and never map them; `onError` (http/on-error.ts) and the request log read
 * this table, so a given failure answers the same on every route.
 */
import { AccountDeletedError } from "../account/tombstones";
import { UserDirectoryUnavailableError } from "../account/user-directory";
import { UnauthorizedError } from "../auth/errors";
import { DeadlineExceededError } from "../deadline";
import { DynamoAbortError, DynamoServiceError, DynamoTimeoutError, translateDynamoError } from "../dynamo/errors";
import { IdempotencyKeyReusedError } from "../notes/idempotency";
import { NoteExistsError, NoteNotFoundError, StoreRequestError, StoreUnavailableError, VersionConflictError } from "../notes/store";
import { ApiError } from "./api-error";

/** One row: instances of `type` (a subclass included) are answered with `respond(err)`. */
interface Row {
  readonly type: abstract new (...args: never[]) => Error;
  readonly respond: (err: Error) => ApiError;
}

function row<E extends Error>(type: abstract new (...args: never[]) => E, respond: (err: E) => ApiError): Row {
  // Sound: `respond` is only ever called with an `instanceof type` error (apiErrorOf).
  return { type, respond: respond as (err: Error) => ApiError };
}

function retryLater(err: Error, seconds: number, reason: string, message: string): ApiError {
  return new ApiError("unavailable", message, { headers: { "Retry-After": String(seconds) }, reason, cause: err });
}

const rows: readonly Row[] = [
  row(NoteNotFoundError, (err) => new ApiError("not_found", "Note not found", { cause: err })),
  row(VersionConflictError, (err) => new ApiError("precondition_failed", "The note has changed; fetch it again for its current ETag", { cause: err })),
  // An id collision (never expected with UUIDv7): a retry draws a new id.
  row(NoteExistsError, (err) => retryLater(err, 1, "note_id_collision", "Please retry")),
  row(StoreUnavailableError, (err) => retryLater(err, err.retryAfterSeconds, "store_unavailable", "The data store is unavailable, retry later")),
  // DynamoDB refused the request's shape (a ValidationException): the input's fault, never a 500.
  row(StoreRequestError, (err) => new ApiError("validation_failed", "Invalid request", { reason: "store_refused_request", cause: err })),
  row(DeadlineExceededError, (err) => retryLater(err, 1, "deadline_exceeded", "The request ran out of time, retry later")),
  row(UserDirectoryUnavailableError, (err) => retryLater(err, 2, "cognito_unavailable", "The user directory is unavailable, retry later")),
  row(
    IdempotencyKeyReusedError,
    (err) =>
      new ApiError("idempotency_key_reused", "This Idempotency-Key was already used with another payload; send a new key for a new note", { cause: err }),
  ),
  // The token is still valid (it cannot be revoked at the gateway), but its account is gone.
  row(AccountDeletedError, (err) => new UnauthorizedError("account_deleted", err)),
];

/** The client's answer to `err`, or undefined for an error nobody expected (500 `internal`). */
export function apiErrorOf(err: unknown): ApiError | undefined {
  if (err instanceof ApiError) return err;
  // A DynamoDB error a store let through untranslated is still answered as the stores answer it.
  if (err instanceof DynamoServiceError || err instanceof DynamoTimeoutError || err instanceof DynamoAbortError) {
    const translated = translateDynamoError(err);
    return translated === err ? undefined : apiErrorOf(translated);
  }
  for (const { type, respond } of rows) {
    if (err instanceof type) return respond(err);
  }
  return undefined;
}
