import { StoreRequestError, StoreUnavailableError } from "./store";

const THROTTLING = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
  "TransactionConflictException",
  // A repeat of a transaction (same ClientRequestToken) while the first is still being applied.
  "TransactionInProgressException",
]);
const UNAVAILABLE = new Set(["InternalServerError", "ServiceUnavailable", "ResourceNotFoundException", "TimeoutError", "AbortError"]);
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH"]);

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
 * caller's fault. Anything else is rethrown unchanged (a bug: 500).
 */
export function translateDynamoError(err: unknown): unknown {
  const e = (err ?? {}) as AwsLikeError;
  const name = typeof e.name === "string" ? e.name : "";
  const code = typeof e.code === "string" ? e.code : "";
  if (THROTTLING.has(name)) {
    return new StoreUnavailableError("DynamoDB throttled the request", retryAfterSeconds.throttled, { cause: err });
  }
  const status = e.$metadata?.httpStatusCode ?? 0;
  if (UNAVAILABLE.has(name) || NETWORK_CODES.has(code) || NETWORK_CODES.has(name) || status >= 500) {
    return new StoreUnavailableError("DynamoDB is unavailable", retryAfterSeconds.unreachable, { cause: err });
  }
  if (name === "ValidationException") return new StoreRequestError("DynamoDB refused the request", { cause: err });
  return err;
}
