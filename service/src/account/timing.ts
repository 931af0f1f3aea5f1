/**
 * The bounds DELETE /me's guarantee rests on, and their arithmetic. dynalite has no
 * TransactWriteItems, so "nothing of the sub is left" comes from ordering plus a fence, which
 * works the same on DynamoDB:
 *
 * 1. A create first reads the account's tombstone (consistent read) and refuses if it exists.
 *    Its write deadline starts when that read starts: no write of the request is *sent* later than
 *    D = writeDeadlineMs after it, and the client stops waiting for it at D. The DynamoDB transport
 *    gets the deadline (service/src/dynamo/transport.ts): it reads the clock right before an
 *    attempt's bytes go out — first try or retry, after any wait for one of its 50 pooled sockets
 *    or for a new connection — and sends nothing once D has passed; the deadline's signal aborts
 *    the attempt in flight. A request that would be sent later fails 503 instead. The transport's
 *    own timeouts (1 s to connect, 5 s per attempt, one retry after a backoff of ≤ 1 s) only end
 *    an attempt sooner, and its retry is checked against D like the first attempt: none of them
 *    can let a write out after D.
 * 2. M = inFlightMarginMs covers the rest of a write's life: DynamoDB may still apply a request the
 *    client gave up on at D (it was on the wire), and tasks' clocks differ by a little (ECS tasks
 *    sync to the Amazon Time Sync Service: milliseconds, but we allow a second).
 * 3. DELETE /me sets `deletedAt` once the tombstone write has been acknowledged, so every tombstone
 *    read that starts after `deletedAt` sees it. A create that missed it started its read at
 *    c < deletedAt, sent its write by c + D < deletedAt + D, and that write landed, if ever, by
 *    deletedAt + D + M.
 * 4. So the final sweep starts at fenceEndsAt = deletedAt + D + M, and finds every such write.
 *    Production: D = 3 s, M = 5 s (4 s for a write in flight + 1 s of clock skew) → fence 8 s.
 *
 * The whole DELETE /me request stays inside API Gateway's 29 s integration timeout: it works for
 * at most budgetMs = 20 s (every DynamoDB and Cognito call carries an abort signal that fires at the
 * budget's end), then answers 202 "repeat to continue". A first request normally takes the 8 s fence
 * plus two sweeps. Per call: DynamoDB at most 1 s to connect and 5 s per attempt from the call (a
 * wait for a pooled socket included), 2 attempts; Cognito 3 s per attempt, 2 attempts; every one
 * cut short by the budget's deadline, so the last call ends by 20 s (a busy event loop may run the
 * budget's timer a little late, never seconds) and the answer leaves well before 29 s.
 */

export interface WriteTiming {
  /** D: no DynamoDB write is sent later than this after the tombstone check started. */
  readonly writeDeadlineMs: number;
  /** M: how long after D a write may still land, plus clock skew between tasks. */
  readonly inFlightMarginMs: number;
}

export interface DeletionTiming extends WriteTiming {
  /** How long one DELETE /me request may work before answering 202 (resume by repeating it). */
  readonly budgetMs: number;
}

export const productionTiming: DeletionTiming = {
  writeDeadlineMs: 3_000,
  inFlightMarginMs: 5_000,
  budgetMs: 20_000,
};

/** The fence: how long after `deletedAt` the final sweep must start (D + M). */
export function fenceMs(timing: WriteTiming): number {
  return timing.writeDeadlineMs + timing.inFlightMarginMs;
}

/**
 * The id token's longest possible lifetime in this pool's settings: Cognito allows 5..1440 minutes
 * (infra/config/index.ts `idTokenValidityMinutes`). A deleted account's tokens stay valid until they expire;
 * the tombstone must outlive every one of them.
 */
export const MAX_ID_TOKEN_LIFETIME_MS = 1_440 * 60_000;

/**
 * Tombstone lifetimes (DynamoDB TTL). Until the Cognito user is deleted, new tokens can still be
 * minted (sign-in, refresh tokens), so there is no bound from token lifetimes: an unfinished
 * deletion keeps its tombstone for 30 days (writes stay refused while the app is told to repeat
 * DELETE /me). Once the user is gone, the last token expires within MAX_ID_TOKEN_LIFETIME_MS, and
 * the tombstone is kept an hour beyond that.
 */
export const PENDING_TOMBSTONE_TTL_MS = 30 * 24 * 3_600_000;
export const DONE_TOMBSTONE_TTL_MS = MAX_ID_TOKEN_LIFETIME_MS + 3_600_000;
