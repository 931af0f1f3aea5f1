/**
 * Error codes and the one error body shape shared by the service, the gateway's gateway
 * responses and the local gateway: `{"error":{"code":"…","message":"…"}}`.
 */
import type { z } from "zod";
import type { errorBodySchema } from "./schemas";

export const errorStatus = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  validation_failed: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  precondition_required: 428,
  precondition_failed: 412,
  idempotency_key_reused: 422,
  throttled: 429,
  unavailable: 503,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export type ErrorStatus = (typeof errorStatus)[ErrorCode];

/** `{"error":{"code":"…","message":"…"}}` (contract/schemas.ts). */
export type ErrorBody = z.infer<typeof errorBodySchema>;

export function errorBody(code: ErrorCode, message: string): ErrorBody {
  return { error: { code, message } };
}

export const ERROR_CONTENT_TYPE = "application/json";

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== "object" || value === null) return false;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === "string" && code in errorStatus && typeof message === "string";
}
