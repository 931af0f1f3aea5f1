/**
 * The API's error codes and the HTTP status each one is sent with: the one list the error body
 * schema (contract/schemas.ts), the service's errors and the gateway's responses draw from.
 */
export const errorStatus = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  validation_failed: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  precondition_required: 428,
  precondition_failed: 412,
  throttled: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;
