/**
 * The error responses of the OpenAPI document, one per status, each with the contract's error body
 * narrowed to the codes that status can carry. The codes come from the contract itself: the
 * service's `errorStatus` and the gateway's `gatewayResponses`, so a new code lands in the document
 * without editing this file.
 */
import { errorStatus, type ErrorCode } from "../error-codes";
import { gatewayResponses } from "../gateway-responses";

export type ErrorResponseName =
  | "ValidationFailed"
  | "Unauthorized"
  | "Forbidden"
  | "NotFound"
  | "PreconditionFailed"
  | "IdempotencyKeyReused"
  | "PayloadTooLarge"
  | "UnsupportedMediaType"
  | "PreconditionRequired"
  | "Throttled"
  | "Internal"
  | "Unavailable"
  | "GatewayTimeout"
  | "OtherClientError"
  | "OtherServerError";

/** An exact status, or a range for the gateway's DEFAULT_4XX / DEFAULT_5XX (which keep API Gateway's status). */
export type ErrorResponseStatus = number | "4XX" | "5XX";

interface ErrorResponseSpec {
  readonly status: ErrorResponseStatus;
  readonly description: string;
  /** It may carry `Retry-After` (seconds). */
  readonly retryAfter?: boolean;
}

export const errorResponseSpecs: Readonly<Record<ErrorResponseName, ErrorResponseSpec>> = {
  ValidationFailed: { status: 400, description: "The request is invalid: the message names the first bad field (body, query or cursor)." },
  Unauthorized: {
    status: 401,
    description:
      "No id token, or one that is malformed, expired, signed by another key, an access token, or for another app client: refused by the gateway's Cognito authorizer, or by the service's own claims check.",
  },
  Forbidden: { status: 403, description: "Refused by the gateway (ACCESS_DENIED)." },
  NotFound: { status: 404, description: "No such note for the caller (another user's note is not found either: existence is not disclosed)." },
  PreconditionFailed: { status: 412, description: "`If-Match` does not name the note's current version: fetch it again for its ETag." },
  IdempotencyKeyReused: {
    status: 422,
    description: "The `Idempotency-Key` was already used (within 24 h) for a request with another payload: nothing was created. Send a new key for a new note.",
  },
  PayloadTooLarge: { status: 413, description: "The request body is over 16 KiB (the service) or over API Gateway's limit." },
  UnsupportedMediaType: { status: 415, description: "The body is not `application/json`." },
  PreconditionRequired: { status: 428, description: "`If-Match` with the note's ETag is required." },
  Throttled: { status: 429, description: "Over the stage's rate or burst limit (gateway); retry with back-off." },
  Internal: { status: 500, description: "An unexpected failure; the body says no more." },
  Unavailable: {
    status: 503,
    description:
      "The data store is throttled or unreachable (the service, with `Retry-After`), or the service cannot be reached (the gateway, without it). Retry later.",
    retryAfter: true,
  },
  GatewayTimeout: { status: 504, description: "The service did not answer within API Gateway's integration timeout (29 s)." },
  OtherClientError: { status: "4XX", description: "Any other request the gateway refuses (DEFAULT_4XX)." },
  OtherServerError: { status: "5XX", description: "Any other gateway failure (DEFAULT_5XX)." },
};

/** The codes a response with this status can carry, service and gateway alike. */
export function errorCodesFor(status: ErrorResponseStatus): ErrorCode[] {
  const codes = new Set<ErrorCode>();
  for (const [code, s] of Object.entries(errorStatus) as Array<[ErrorCode, number]>) if (s === status) codes.add(code);
  for (const g of gatewayResponses) {
    if (g.statusCode === status) codes.add(g.code);
    if (g.type === `DEFAULT_${status}`) codes.add(g.code);
  }
  if (codes.size === 0) throw new Error(`openapi: no error code of the contract has status ${status}`);
  return [...codes].sort();
}
