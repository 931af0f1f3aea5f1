/**
 * DELETE /me, in the four steps of docs/architecture.md#account-lifecycle (the arithmetic behind step 4 is in ./timing.ts):
 * 1. the tombstone (creates refuse from `deletedAt` on), 2. every item of the sub deleted,
 * 3. the Cognito user deleted, 4. wait until `deletedAt + fence`, sweep again, done.
 * Each finished step is recorded on the tombstone, so a request that failed or ran out of time is
 * resumed by the next DELETE /me; once done, DELETE /me is 204 again at once.
 */
import type { Clock } from "../clock";
import { Deadline, DeadlineExceededError } from "../deadline";
import type { Logger } from "../logger";
import { StoreUnavailableError } from "../notes/store";
import type { PartitionSweeper } from "./sweep";
import { fenceMs, type DeletionTiming } from "./timing";
import type { Tombstones, TombstoneState } from "./tombstones";
import { UserDirectoryUnavailableError, type UserDirectory } from "./user-directory";

export type DeletionOutcome =
  /** Everything of the sub is gone (204). */
  | { readonly kind: "deleted" }
  /** Under way, nothing failed, but this request's budget ran out: repeat after `retryAfterSeconds` (202). */
  | { readonly kind: "pending"; readonly retryAfterSeconds: number };

export interface AccountDeletionDeps {
  readonly tombstones: Tombstones;
  readonly sweeper: PartitionSweeper;
  readonly users: UserDirectory;
  readonly timing: DeletionTiming;
  readonly clock: Clock;
  readonly logger: Logger;
  /** How the fence is waited for. Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class AccountDeletion {
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly deps: AccountDeletionDeps) {
    this.sleep = deps.sleep ?? sleepFor;
  }

  /**
   * Runs (or resumes) the deletion of `userId`, whose Cognito username is `username`. Throws
   * StoreUnavailableError / UserDirectoryUnavailableError when a dependency fails (503: repeat).
   */
  async delete(userId: string, username: string): Promise<DeletionOutcome> {
    // Every call below carries this budget's signal: the request never outlives it.
    const budget = Deadline.after(this.deps.timing.budgetMs);
    try {
      return await this.run(userId, username, budget);
    } catch (err) {
      // The budget cut a call short (or forbade sending it): progress is kept, nothing failed.
      const cutShort = err instanceof DeadlineExceededError || err instanceof StoreUnavailableError || err instanceof UserDirectoryUnavailableError;
      if (cutShort && budget.expired) return { kind: "pending", retryAfterSeconds: 1 };
      throw err;
    }
  }

  private async run(userId: string, username: string, budget: Deadline): Promise<DeletionOutcome> {
    const { tombstones, sweeper, users, clock, logger, timing } = this.deps;
    const record = (step: Parameters<Tombstones["record"]>[1]): Promise<TombstoneState> => tombstones.record(userId, step, clock.now(), budget);

    // Step 1: the tombstone. `deletedAt` is taken only after its write was acknowledged.
    let state = await tombstones.ensure(userId, clock.now(), budget);
    if (state.completedAt) return { kind: "deleted" };
    const resumed = state.deletedAt !== undefined;
    if (!state.deletedAt) state = await tombstones.confirm(userId, clock.now(), budget);
    const fenceEndsAt = Date.parse(state.deletedAt as string) + fenceMs(timing);

    // Step 2: every item of the sub (the final sweep below catches what raced this one).
    let notesDeleted = 0;
    if (!state.notesDeletedAt) {
      notesDeleted = await sweeper.sweep(userId, budget);
      state = await record("notesDeletedAt");
    }

    // Step 3: the Cognito user (no new tokens from here on; existing ones live until they expire).
    if (!state.userDeletedAt) {
      await users.deleteUser(username, budget.signal());
      state = await record("userDeletedAt");
    }

    // Step 4: no write that missed the tombstone can land after the fence; then the last sweep.
    const wait = fenceEndsAt - clock.now();
    if (wait >= budget.remainingMs()) return { kind: "pending", retryAfterSeconds: Math.max(1, Math.ceil(wait / 1000)) };
    if (wait > 0) await this.sleep(wait);
    const lateWrites = await sweeper.sweep(userId, budget);
    await record("completedAt");
    // lateWrites > 0: a create raced the deletion and the fence caught it (worth seeing in the logs).
    logger.info({ sub: userId, resumed, notesDeleted, lateWrites }, "account deleted");
    return { kind: "deleted" };
  }
}
