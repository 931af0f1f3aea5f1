/**
 * The reaper: finishes account deletions that stopped part-way, with or without the client. Every
 * task runs one; every `periodMs` (the first look after a random half to whole period) it
 * reads the pending-deletions index for tombstones whose lease is free or expired, and resumes each
 * one through AccountDeletion.resume — which takes the lease first, so two reapers (or a reaper and
 * a DELETE /me) never run one deletion at once. Started by the service process (runtime/start.ts,
 * server.ts), stopped at shutdown; a failed look or run is logged and tried again a period later.
 */
import type { Clock } from "../clock";
import { Deadline } from "../deadline";
import type { Logger } from "../logger";
import type { AccountDeletion } from "./deletion";
import type { Tombstones } from "./tombstones";

export interface ReaperOptions {
  readonly deletion: AccountDeletion;
  readonly tombstones: Tombstones;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Time between two looks (REAPER_PERIOD_MS). */
  readonly periodMs: number;
  /** Deletions resumed per look at most (the rest wait for the next one). Default 50. */
  readonly perLook?: number;
  /** Source of the first look's jitter, 0..1. Default Math.random. */
  readonly random?: () => number;
}

/** What one look found and did. */
export interface ReaperPass {
  readonly found: number;
  readonly finished: number;
  /** Done already, or another run held the lease. */
  readonly skipped: number;
  readonly failed: number;
}

/** The index read of one look: a few seconds, whatever the store does. */
const LOOK_DEADLINE_MS = 5_000;

export class DeletionReaper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  /** stop() was called: a look under way resumes no further deletion. */
  private halting = false;

  constructor(private readonly options: ReaperOptions) {}

  /** Starts looking (idempotent). */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.halting = false;
    // The first look half to one period after start: tasks started together do not look in step,
    // and a process that lives only briefly (a test, a failed deploy) never looks at all.
    this.schedule(this.options.periodMs * (0.5 + 0.5 * (this.options.random ?? Math.random)()));
  }

  /** Stops looking; resolves when the look under way (if any) has ended. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.halting = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One look: every pending deletion whose lease is free, resumed one after the other. */
  async pass(): Promise<ReaperPass> {
    const { deletion, tombstones, clock, logger } = this.options;
    const subs = await tombstones.pending(clock.now(), this.options.perLook ?? 50, Deadline.after(LOOK_DEADLINE_MS));
    let finished = 0;
    let skipped = 0;
    let failed = 0;
    for (const sub of subs) {
      if (this.halting) break;
      try {
        if ((await deletion.resume(sub)) === "finished") finished++;
        else skipped++;
      } catch (err) {
        // The lease was freed: the next look (here or on another task) tries again.
        failed++;
        logger.warn({ err, sub }, "reaper could not finish an account deletion; it tries again next period");
      }
    }
    if (subs.length > 0) logger.info({ found: subs.length, finished, skipped, failed }, "reaper pass");
    return { found: subs.length, finished, skipped, failed };
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const look = this.pass()
        .catch((err: unknown) => this.options.logger.warn({ err }, "reaper could not read the pending deletions; it looks again next period"))
        .finally(() => {
          this.running = undefined;
          this.schedule(this.options.periodMs);
        });
      this.running = look;
    }, delayMs);
    // The reaper never keeps the process alive on its own.
    this.timer.unref();
  }
}
