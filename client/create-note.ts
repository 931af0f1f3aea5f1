/**
 * POST /notes as the CLI sends it: a fresh Idempotency-Key per note (contract/idempotency-key.ts),
 * the same key on every retry of it, so a create whose answer was lost (a dropped connection, a
 * 503 after the note was stored) is repeated without making a second note.
 */
import { randomUUID } from "node:crypto";
import { IDEMPOTENCY_KEY_HEADER, idempotencyKeyHeaderValue } from "../contract/idempotency-key";
import type { ApiResponse } from "./api";

export interface CreateRetryOptions {
  /** Attempts in all, the first included. Default 3. */
  readonly attempts?: number;
  /** Longest wait between attempts, whatever Retry-After says. Default 10 s. */
  readonly maxWaitMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** The key; default a new UUID (tests pass their own). */
  readonly key?: string;
}

/** `send` makes one attempt with the given extra headers. Returns the last answer; throws the last network error. */
export async function createWithIdempotencyKey(
  send: (headers: Record<string, string>) => Promise<ApiResponse>,
  options: CreateRetryOptions = {},
): Promise<ApiResponse> {
  const attempts = options.attempts ?? 3;
  const maxWaitMs = options.maxWaitMs ?? 10_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const headers = { [IDEMPOTENCY_KEY_HEADER.toLowerCase()]: idempotencyKeyHeaderValue(options.key ?? randomUUID()) };
  for (let attempt = 1; ; attempt++) {
    let res: ApiResponse | undefined;
    try {
      res = await send(headers);
    } catch (err) {
      // No answer at all (connection dropped, timeout): the note may or may not exist; the key settles it.
      if (attempt >= attempts) throw err;
    }
    if (res && !(res.status === 429 || res.status >= 500)) return res;
    if (res && attempt >= attempts) return res;
    await sleep(Math.min(maxWaitMs, retryAfterMs(res) ?? 1_000 * attempt));
  }
}

function retryAfterMs(res: ApiResponse | undefined): number | undefined {
  const value = res?.headers.get("retry-after");
  if (value == null || !/^\d+$/.test(value)) return undefined;
  return Number(value) * 1_000;
}
