import { createHash } from "node:crypto";
import { ApiError } from "../http/api-error";
import { isNoteId } from "./note-id";

/**
 * The list cursor is opaque to clients. It carries the last note id (the sort key) and a short
 * digest of its owner's sub — never the partition key itself — so a cursor taken from another
 * user's listing, or edited, is refused with 400 instead of silently paging somewhere else.
 */
export function encodeCursor(userId: string, lastNoteId: string): string {
  return Buffer.from(JSON.stringify({ k: lastNoteId, o: ownerDigest(userId) }), "utf8").toString("base64url");
}

/** The note id to start after, or 400 validation_failed when the cursor is not this user's. */
export function decodeCursor(userId: string, cursor: string): string {
  const parsed = parse(cursor);
  if (!parsed || !isNoteId(parsed.k) || parsed.o !== ownerDigest(userId)) {
    throw new ApiError("validation_failed", "Invalid cursor", { reason: "invalid_cursor" });
  }
  return parsed.k;
}

function parse(cursor: string): { k?: unknown; o?: unknown } | undefined {
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null ? (value as { k?: unknown; o?: unknown }) : undefined;
  } catch {
    return undefined;
  }
}

function ownerDigest(userId: string): string {
  return createHash("sha256").update(userId).digest("base64url").slice(0, 16);
}
