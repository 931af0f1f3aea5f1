import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { noteLimits } from "../../../contract/notes";
import { ApiError } from "./api-error";

/**
 * Refuses bodies over the limit with 413 — from Content-Length before reading, or while
 * streaming a chunked body (hono/body-limit) — so an oversized body is never read whole.
 */
export const limitBody: MiddlewareHandler = bodyLimit({
  maxSize: noteLimits.requestBodyMaxBytes,
  onError: () => {
    throw new ApiError("payload_too_large", `Request body exceeds ${noteLimits.requestBodyMaxBytes} bytes`);
  },
});

/** The request body as JSON: 415 unless `application/json`, 400 when it does not parse. */
export async function readJson(c: Context): Promise<unknown> {
  const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") {
    throw new ApiError("unsupported_media_type", "Content-Type must be application/json");
  }
  const text = await c.req.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError("validation_failed", "Body is not valid JSON", { reason: "invalid_json" });
  }
}
