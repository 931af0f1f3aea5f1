/**
 * The bounds DELETE /me and the reaper rest on, and their arithmetic.
 *
 * Why there is no long fence. A create is one TransactWriteItems: a ConditionCheck that the
 * account's tombstone does not exist, plus the note's Put. DynamoDB isolates a transaction and a
 * standard write (the tombstone's UpdateItem) serializably (developer guide, "Isolation levels for
 * DynamoDB transactions"): the create is ordered either before the tombstone, or after it and then
 * fails its check. So once the tombstone write has been acknowledged, no create can commit any more.
 *
 * The one case that guarantee does not cover, and the short fence kept for it. The sweep reads the
 * partition with Query, and a Query is only read-committed with respect to transactions (same
 * page): it sees what has committed, not what is ordered before it. A create ordered before the
 * tombstone may still be in its commit phase (its Put not yet applied to the note) when the first
 * sweep's Query passes that key, and land just after. So the final sweep starts no sooner than
 * `commitMarginMs` after this run's tombstone write was acknowledged (by then the tombstone exists,
 * whichever run wrote it first): a transaction's commit phase is a part of its own latency (tens of
 * milliseconds at the service), and 250 ms is about ten times that. It is not measurable offline
 * (DynamoDB Local applies a transaction at once); it is mostly spent anyway, by the first sweep and
 * AdminDeleteUser, which run in between.
 *
 * The whole DELETE /me request stays inside API Gateway's 29 s integration timeout: it works for at
 * most `budgetMs` (every DynamoDB and Cognito call carries an abort signal that fires at the
 * budget's end), then answers 202 "repeat to continue". Per call: DynamoDB at most 1 s to connect
 * and 5 s per attempt, 2 attempts; Cognito 3 s per attempt, 2 attempts; every one cut short by the
 * budget, so the last call ends by 20 s and the answer leaves well before 29 s.
 *
 * Leases (account/tombstones.ts): every run of a deletion — a DELETE /me or the reaper's — first
 * takes the tombstone's lease for `leaseMs`, and works for at most half of it, so it has stopped
 * before the lease can pass to another run. The reaper looks every `reaperPeriodMs` for unfinished
 * deletions whose lease is free or expired. A deletion whose run failed is finished by the reaper
 * at most `leaseMs` (a run that died holding the lease) + `reaperPeriodMs` (the next look) +
 * `leaseMs / 2` (that run) later: with the defaults 60 s + 5 min + 30 s = 6.5 min, and the
 * service's config refuses settings that would exceed 15 minutes (service/src/config.ts).
 */
import { MAX_ID_TOKEN_LIFETIME_SECONDS } from "../../../contract/token-times";

export interface WriteTiming {
  /** No DynamoDB write of a notes request is sent later than this after the request started its writes (503 instead). */
  readonly writeDeadlineMs: number;
}

export interface DeletionTiming extends WriteTiming {
  /** How long one DELETE /me request may work before answering 202 (resume by repeating it); at most leaseMs / 2. */
  readonly budgetMs: number;
  /** The final sweep starts at least this long after the run's tombstone write was acknowledged (see above). */
  readonly commitMarginMs: number;
  /** How long a run holds the tombstone's lease. */
  readonly leaseMs: number;
}

export const productionTiming: DeletionTiming = {
  writeDeadlineMs: 3_000,
  budgetMs: 20_000,
  commitMarginMs: 250,
  leaseMs: 60_000,
};

/** How often each task's reaper looks for unfinished deletions (REAPER_PERIOD_MS). */
export const DEFAULT_REAPER_PERIOD_MS = 5 * 60_000;

/** A deletion that failed is finished within this, whatever the settings (service/src/config.ts checks them). */
export const DELETION_COMPLETES_WITHIN_MS = 15 * 60_000;

/** The longest a failed deletion waits for the reaper to finish it with these settings (see above). */
export function reapedWithinMs(reaperPeriodMs: number, leaseMs: number): number {
  return leaseMs + reaperPeriodMs + runBudgetMs(leaseMs, Number.POSITIVE_INFINITY);
}

/** One run's working time: at most half its lease (so it stops before the lease can pass on), and at most `cap`. */
export function runBudgetMs(leaseMs: number, cap: number): number {
  return Math.min(cap, Math.floor(leaseMs / 2));
}

/** API Gateway's REST integration timeout: the budget must end well before it. */
export const GATEWAY_TIMEOUT_MS = 29_000;

/**
 * The id token's longest possible lifetime (contract/token-times.ts: Cognito allows 5..1440
 * minutes). A deleted account's tokens stay valid until they expire; the tombstone must outlive
 * every one of them.
 */
const MAX_ID_TOKEN_LIFETIME_MS = MAX_ID_TOKEN_LIFETIME_SECONDS * 1000;

/**
 * Tombstone lifetimes (DynamoDB TTL). Until the Cognito user is deleted, new tokens can still be
 * minted (sign-in, refresh tokens), so there is no bound from token lifetimes: an unfinished
 * deletion keeps its tombstone for 30 days (the reaper finishes it long before). Once the user is
 * gone, the last token expires within MAX_ID_TOKEN_LIFETIME_MS, and the tombstone is kept an hour
 * beyond that.
 */
export const PENDING_TOMBSTONE_TTL_MS = 30 * 24 * 3_600_000;
export const DONE_TOMBSTONE_TTL_MS = MAX_ID_TOKEN_LIFETIME_MS + 3_600_000;
