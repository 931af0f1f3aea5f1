/**
 * What a DynamoDB call can fail with, shaped like the AWS SDK's errors (`name` = the service's
 * error type, `$metadata.httpStatusCode`) so notes/dynamo-errors.ts reads either the same way.
 */

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
]);

/** Socket errors worth one more attempt on a fresh connection. */
const TRANSIENT_NETWORK_CODES = new Set(["ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

/** Whether the standard SDK retry policy would try again: throttling, 5xx, timeouts, transient network errors. */
export function isRetryable(err: unknown): boolean {
  if (err instanceof DynamoServiceError) return err.$fault === "server" || THROTTLING_ERRORS.has(err.name);
  if (err instanceof DynamoTimeoutError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && TRANSIENT_NETWORK_CODES.has(code);
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
