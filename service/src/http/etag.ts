import { ApiError } from "./api-error";

export function etagOf(version: number): string {
  return `"${version}"`;
}

/**
 * The version an `If-Match` header asks for: a strong ETag `"N"` (or a list of them — then any
 * listed version that matches counts), `*` for any, or 412 for anything else (weak ETags never
 * match under If-Match). Returns `"any"` for `*`.
 */
export function versionsFromIfMatch(header: string): number[] | "any" {
  const value = header.trim();
  if (value === "*") return "any";
  const versions: number[] = [];
  for (const part of value.split(",")) {
    const m = /^"(\d{1,15})"$/.exec(part.trim());
    if (m) versions.push(Number(m[1]));
  }
  if (versions.length === 0) {
    throw new ApiError("precondition_failed", "If-Match does not match the note's current ETag", { reason: "bad_if_match" });
  }
  return versions;
}
