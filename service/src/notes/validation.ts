import type { z } from "zod";
import { ApiError } from "../http/api-error";

/**
 * Parse with a zod schema (the request schemas live in contract/schemas.ts, shared with the
 * OpenAPI document) or throw 400 validation_failed naming the first bad field.
 */
export function parseOr400<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join(".") : "body";
  throw new ApiError("validation_failed", `${where}: ${issue?.message ?? "invalid"}`, { reason: "invalid_input" });
}
