/**
 * What a DynamoDB call can fail with, shaped like the AWS SDK's errors (`name` = the service's
 * error type, `$metadata.httpStatusCode`), which of those the transport retries, and what the
 * stores turn them into (StoreUnavailableError, StoreRequestError: http/error-map.ts answers those).
 */
import { StoreRequestError, StoreUnavailableError } from "../notes/store";

/** Why one item of a cancelled transaction failed (`None` for the items that did not). */
export interface CancellationReason {
  readonly Code: string;
  readonly Message?: string;
}

/** DynamoDB answered with an error: `name` is its type (`ConditionalCheckFailedException`, …). */
export class DynamoServiceError extends Error {
  readonly $metadata: { readonly httpStatusCode: number; readonly requestId: string | undefined };
  readonly $fault: "client" | "server";
  /** TransactionCanceledException only: one reason per item, in the request's order (as the SDK's error has). */
  readonly CancellationReasons: readonly CancellationReason[] | undefined;

  constructor(name: string, message: string, httpStatusCode: number, requestId: string | undefined, reasons?: readonly CancellationReason[]) {
    super(message);
    this.name = name;
    this.$metadata = { httpStatusCode, requestId };
    this.$fault = httpStatusCode >= 500 ? "server" : "client";
    this.CancellationReasons = reasons;
  }
}

/** No answer in time: the connection could not be made, or the attempt outlived its timeout. */
export class DynamoTimeoutError extends Error {
  override readonly name = "TimeoutError";
}

/** The caller's AbortSignal fired (its deadline passed) before DynamoDB answered. */
export class DynamoAbortError extends Error {
  override readonly name = "AbortError";
}

/** Error types DynamoDB uses for "slow down": retried once, then 503 + Retry-After. */
export const THROTTLING_ERRORS: ReadonlySet<string> = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "TransactionConflictException",
  // A repeat of a transaction (same ClientRequestToken) while the first is still being applied.
  "TransactionInProgressException",
]);

/** Socket errors: worth one more attempt on a fresh connection, and 503 + Retry-After when they persist. */
const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  "ECONNRESET",
  "ECONNREFUSED",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

/** Whether the standard SDK retry policy would try again: throttling, 5xx, timeouts, transient network errors. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof DynamoServiceError) return err.$fault === "server" || THROTTLING_ERRORS.has(err.name);
  if (err instanceof DynamoTimeoutError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && TRANSIENT_NETWORK_CODES.has(code);
}

/** Failures that say nothing was sent or applied: the connection was never made, or DynamoDB refused it. */
const NOT_SENT_NETWORK_CODES = new Set(["ECONNREFUSED", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/**
 * Whether a failed attempt may still have been applied: DynamoDB answered 5xx, the answer did not
 * come in time, or the connection broke after the request could have been read (reset, cut-off
 * response). Throttling and other 4xx answers are refusals: nothing was applied.
 */
export function mayHaveBeenApplied(err: unknown): boolean {
  if (err instanceof DynamoServiceError) return err.$fault === "server";
  if (err instanceof DynamoTimeoutError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && TRANSIENT_NETWORK_CODES.has(code) && !NOT_SENT_NETWORK_CODES.has(code);
}

const earlierAttemptUnknown = new WeakSet<object>();

/** The transport marks a call's final error so when an earlier attempt of the call may have been applied. */
export function markEarlierAttemptUnknown<E>(err: E): E {
  if (typeof err === "object" && err !== null) earlierAttemptUnknown.add(err);
  return err;
}

/**
 * True when the call was attempted more than once and an earlier attempt's outcome is unknown
 * (see `mayHaveBeenApplied`): a conditional write whose retry failed its condition may have failed
 * it against its own first attempt, and the store settles it by reading the item.
 */
export function earlierAttemptMayHaveApplied(err: unknown): boolean {
  return typeof err === "object" && err !== null && earlierAttemptUnknown.has(err);
}

/**
 * The error in a DynamoDB JSON-protocol error response:
 * `{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"…"}`.
 */
export function errorFromResponse(status: number, text: string, requestId: string | undefined): DynamoServiceError {
  let type = "";
  let message = "";
  let reasons: CancellationReason[] | undefined;
  try {
    const body = JSON.parse(text) as { __type?: unknown; message?: unknown; Message?: unknown; CancellationReasons?: unknown };
    if (typeof body.__type === "string") type = body.__type.slice(body.__type.lastIndexOf("#") + 1);
    const m = body.message ?? body.Message;
    if (typeof m === "string") message = m;
    if (Array.isArray(body.CancellationReasons)) {
      reasons = body.CancellationReasons.map((r: { Code?: unknown; Message?: unknown } | null) => ({
        Code: typeof r?.Code === "string" ? r.Code : "None",
        ...(typeof r?.Message === "string" ? { Message: r.Message } : {}),
      }));
    }
  } catch {
    // Not JSON (a proxy's error page): the status alone says what happened.
  }
  const name = type || (status >= 500 ? "InternalServerError" : "UnknownError");
  return new DynamoServiceError(name, message || `DynamoDB answered ${status}`, status, requestId, reasons);
}

/** Error types (besides throttling and any 5xx) that mean "the table cannot be reached now": 503 + Retry-After. */
const UNAVAILABLE_ERRORS: ReadonlySet<string> = new Set([
  "InternalServerError",
  "ServiceUnavailable",
  "ResourceNotFoundException",
  "TimeoutError",
  "AbortError",
]);

/** Seconds a client should wait before retrying, per kind of failure. */
export const retryAfterSeconds = { throttled: 1, unreachable: 2 } as const;

interface AwsLikeError {
  name?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export function isConditionalCheckFailed(err: unknown): boolean {
  return (err as AwsLikeError | null)?.name === "ConditionalCheckFailedException";
}

/**
 * DynamoDB failures the client can act on become store errors: throttling and an unreachable or
 * missing table are 503 + Retry-After, a request DynamoDB refuses (ValidationException) is the
 * caller's fault (400). Anything else is returned unchanged (a bug: 500).
 */
export function translateDynamoError(err: unknown): unknown {
  const e = (err ?? {}) as AwsLikeError;
  const name = typeof e.name === "string" ? e.name : "";
  const code = typeof e.code === "string" ? e.code : "";
  if (THROTTLING_ERRORS.has(name)) {
    return new StoreUnavailableError("DynamoDB throttled the request", retryAfterSeconds.throttled, { cause: err });
  }
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (UNAVAILABLE_ERRORS.has(name) || TRANSIENT_NETWORK_CODES.has(code) || TRANSIENT_NETWORK_CODES.has(name) || status >= 500) {
    return new StoreUnavailableError("DynamoDB is unavailable", retryAfterSeconds.unreachable, { cause: err });
  }
  if (name === "ValidationException") return new StoreRequestError("DynamoDB refused the request", { cause: err });
  return err;
}

/** Runs one store call, its DynamoDB failure turned into the store's errors (translateDynamoError). */
export async function withStoreErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw translateDynamoError(err);
  }
}
