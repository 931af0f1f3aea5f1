/**
 * An account's deletion, in this order (the arithmetic is in ./timing.ts):
 * 1. the tombstone, with this run's lease (creates refuse from then on: their transaction checks it),
 * 2. every item of the sub deleted (the sweep),
 * 3. the Cognito user deleted — as late as possible, so a caller that stops before it can still
 *    sign in and repeat DELETE /me,
 * 4. the final sweep, no sooner than the commit margin after step 1, then `completedAt`.
 * Each finished step is recorded on the tombstone (only while this run holds its lease), so the
 * next run — a repeated DELETE /me, or the reaper (./reaper.ts) with no client at all — resumes
 * where the last one stopped; once done, DELETE /me is 204 again at once.
 */
import { randomUUID } from "node:crypto";
import type { Clock } from "../clock";
import { Deadline, DeadlineExceededError } from "../deadline";
import type { Logger } from "../logger";
import { StoreUnavailableError } from "../notes/store";
import type { PartitionSweeper } from "./sweep";
import { runBudgetMs, type DeletionTiming } from "./timing";
import { LeaseLostError, type Lease, type Tombstones, type TombstoneState } from "./tombstones";
import { UserDirectoryUnavailableError, type UserDirectory } from "./user-directory";

export type DeletionOutcome =
  /** Everything of the sub is gone (204). */
  | { readonly kind: "deleted" }
  /** Under way, nothing failed, but not finished by this request: repeat after `retryAfterSeconds` (202). */
  | { readonly kind: "pending"; readonly retryAfterSeconds: number };

/** What one reaper run did with a pending deletion. */
export type ResumeOutcome = "finished" | "skipped";

export interface AccountDeletionDeps {
  readonly tombstones: Tombstones;
  readonly sweeper: PartitionSweeper;
  readonly users: UserDirectory;
  readonly timing: DeletionTiming;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How the commit margin is waited for. Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A repeat while another run holds the lease: soon (the holder usually finishes in a second), never later than 5 s. */
const BUSY_RETRY_MAX_SECONDS = 5;

export class AccountDeletion {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: AccountDeletionDeps) {
    this.sleep = deps.sleep ?? sleepFor;
  }

  /**
   * DELETE /me: runs (or resumes) the deletion of `userId`, whose Cognito username is `username`.
   * Throws StoreUnavailableError / UserDirectoryUnavailableError when a dependency fails (503: repeat);
   * the reaper finishes it if the caller does not.
   */
  async delete(userId: string, username: string): Promise<DeletionOutcome> {
    const { tombstones, timing, clock } = this.deps;
    // Every call below carries this budget's deadline: the request never outlives it (nor its lease).
    const budget = Deadline.after(runBudgetMs(timing.leaseMs, timing.budgetMs));
    const lease: Lease = { owner: randomUUID(), leaseMs: timing.leaseMs };
    try {
      const taken = await tombstones.begin(userId, username, lease, clock.now(), budget);
      const leasedAt = performance.now();
      if (taken.kind === "done") return { kind: "deleted" };
      if (taken.kind !== "taken") return busy(taken.kind === "busy" ? taken.leaseUntil - clock.now() : 0);
      return await this.finishOrRelease(userId, taken.state, lease, leasedAt, budget, "request");
    } catch (err) {
      // The budget cut a call short (or forbade sending it): progress is kept, nothing failed.
      const cutShort = err instanceof DeadlineExceededError || err instanceof StoreUnavailableError || err instanceof UserDirectoryUnavailableError;
      if ((cutShort && budget.expired) || err instanceof LeaseLostError) return busy(0);
      throw err;
    }
  }

  /**
   * The reaper's run: takes the lease of `userId`'s unfinished deletion if it is free and finishes
   * it (sweep, AdminDeleteUser with the username the tombstone keeps, final sweep). "skipped": done
   * already, or another run holds it. Throws when a dependency fails (the lease is freed first).
   */
  async resume(userId: string): Promise<ResumeOutcome> {
    const { tombstones, timing, clock } = this.deps;
    const budget = Deadline.after(runBudgetMs(timing.leaseMs, Number.POSITIVE_INFINITY));
    const lease: Lease = { owner: randomUUID(), leaseMs: timing.leaseMs };
    const taken = await tombstones.takeOver(userId, lease, clock.now(), budget);
    const leasedAt = performance.now();
    if (taken.kind !== "taken") return "skipped";
    try {
      const outcome = await this.finishOrRelease(userId, taken.state, lease, leasedAt, budget, "reaper");
      return outcome.kind === "deleted" ? "finished" : "skipped";
    } catch (err) {
      if (err instanceof LeaseLostError) return "skipped";
      throw err;
    }
  }

  /** Steps 2–4 under this run's lease; an unfinished run frees the lease for the next one. */
  private async finishOrRelease(
    userId: string,
    state: TombstoneState,
    lease: Lease,
    leasedAt: number,
    budget: Deadline,
    by: "request" | "reaper",
  ): Promise<DeletionOutcome> {
    let outcome: DeletionOutcome;
    try {
      outcome = await this.finish(userId, state, lease.owner, leasedAt, budget, by);
    } catch (err) {
      await this.release(userId, lease.owner);
      throw err;
    }
    if (outcome.kind === "pending") await this.release(userId, lease.owner);
    return outcome;
  }

  /** Best effort, on its own short deadline (the budget may be spent): else the lease expires on its own. */
  private async release(userId: string, owner: string): Promise<void> {
    await this.deps.tombstones.release(userId, owner, Deadline.after(2_000)).catch((err: unknown) => {
      this.deps.logger.warn({ err, sub: userId }, "could not free the deletion's lease; it expires on its own");
    });
  }

  private async finish(
    userId: string,
    initial: TombstoneState,
    owner: string,
    leasedAt: number,
    budget: Deadline,
    by: "request" | "reaper",
  ): Promise<DeletionOutcome> {
    const { tombstones, sweeper, users, clock, logger, timing } = this.deps;
    const state = initial;
    const resumed = state.notesDeletedAt !== undefined || state.userDeletedAt !== undefined;

    // Step 2: every item of the sub (the final sweep below catches a create still committing).
    // Its record is written while step 3 runs: AdminDeleteUser needs the sweep done, not recorded.
    let notesDeleted = 0;
    let notesRecorded: Promise<unknown> = Promise.resolve();
    if (!state.notesDeletedAt) {
      notesDeleted = await sweeper.sweep(userId, budget);
      notesRecorded = tombstones.record(userId, "notesDeletedAt", owner, clock.now(), budget);
    }

    // Step 3: the Cognito user (no new tokens from here on; existing ones live until they expire).
    let userRecorded: Promise<unknown> = Promise.resolve();
    if (!state.userDeletedAt) {
      await settled(users.deleteUser(state.username, budget.signal()), notesRecorded);
      userRecorded = tombstones.record(userId, "userDeletedAt", owner, clock.now(), budget);
    } else {
      await notesRecorded;
    }

    // Step 4: a create ordered before the tombstone has committed by now (./timing.ts); the last
    // sweep. The margin runs from the tombstone's write, so the steps above have mostly spent it.
    const wait = leasedAt + timing.commitMarginMs - performance.now();
    if (wait >= budget.remainingMs()) {
      await userRecorded;
      return busy(wait);
    }
    await settled(userRecorded, wait > 0 ? this.sleep(wait) : Promise.resolve());
    const lateWrites = await sweeper.sweep(userId, budget);
    await tombstones.complete(userId, owner, clock.now(), budget);
    // lateWrites > 0: a create was still committing when the first sweep passed (worth seeing in the logs).
    logger.info({ sub: userId, by, resumed, notesDeleted, lateWrites }, "account deleted");
    return { kind: "deleted" };
  }
}

/**
 * Waits for both, then throws the first failure: a progress record still in flight when the other
 * call fails must land before the run frees its lease (else the next run redoes its step).
 */
async function settled(a: Promise<unknown>, b: Promise<unknown>): Promise<void> {
  const results = await Promise.allSettled([a, b]);
  for (const result of results) if (result.status === "rejected") throw result.reason;
}

function busy(waitMs: number): DeletionOutcome {
  return { kind: "pending", retryAfterSeconds: Math.min(BUSY_RETRY_MAX_SECONDS, Math.max(1, Math.ceil(waitMs / 1000))) };
}
