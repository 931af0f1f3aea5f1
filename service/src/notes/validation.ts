import { z } from "zod";
import { noteLimits } from "../../../contract/notes";
import { ApiError } from "../http/api-error";

const title = z
  .string()
  .min(noteLimits.titleMin)
  .max(noteLimits.titleMax)
  .refine((t) => t.trim().length > 0, "must not be blank");
const body = z.string().max(noteLimits.bodyMax);

/** POST /notes and PUT /notes/{id}: exactly `{title, body}`; unknown fields are refused. */
export const noteInput = z.strictObject({ title, body });
export type NoteInput = z.infer<typeof noteInput>;

export const listQuery = z.object({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(noteLimits.listMax)
    .default(noteLimits.listDefault),
  cursor: z.string().min(1).optional(),
});

/** Parse with a zod schema or throw 400 validation_failed naming the first bad field. */
export function parseOr400<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.join(".") : "body";
  throw new ApiError("validation_failed", `${where}: ${issue?.message ?? "invalid"}`, { reason: "invalid_input" });
}
