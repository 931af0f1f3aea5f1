/**
 * The one error body shape shared by the service, the gateway's gateway responses and the local
 * gateway: `{"error":{"code":"…","message":"…"}}`. The codes are in contract/error-codes.ts.
 */
import type { z } from "zod";
import { errorStatus, type ErrorCode } from "./error-codes";
import type { errorBodySchema } from "./schemas";

// The codes' one home is contract/error-codes.ts (below the schemas, so no import loop); this door
// stays for the service's error renderer (service/src/http/on-error.ts) until it imports from there.
export type { ErrorCode } from "./error-codes";

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
