/**
 * A moment after which no request to a dependency may be sent. Every DynamoDB call of a bounded
 * operation passes the deadline itself to the transport (`{ deadline }`), which stops waiting for
 * an attempt in flight when its signal fires and sends no attempt (first try or retry) once the
 * deadline has passed — by the clock, read right before the attempt's bytes are written, since a
 * timer (and so the signal) fires late on a busy event loop. That is what makes "a write is never
 * sent later than D after the tombstone check" true (see account/timing.ts). Cognito's calls
 * (DELETE /me's step 3) get `deadline.signal()`: only the request's budget depends on them.
 */

/** The deadline passed before a call could be sent: nothing was sent. */
export class DeadlineExceededError extends Error {
  override readonly name = "DeadlineExceededError";
}

export class Deadline {
  /** `performance.now()` at the deadline: monotonic, so a wall-clock step cannot move it. */
  private readonly atMs: number;

  private constructor(atMs: number) {
    this.atMs = atMs;
  }

  /** A deadline `ms` from now. */
  static after(ms: number): Deadline {
    return new Deadline(performance.now() + ms);
  }

  /** The earlier of the two. */
  static earliest(a: Deadline, b: Deadline): Deadline {
    return a.atMs <= b.atMs ? a : b;
  }

  remainingMs(): number {
    return this.atMs - performance.now();
  }

  get expired(): boolean {
    return this.remainingMs() <= 0;
  }

  /**
   * An AbortSignal that fires at the deadline, for one call. Throws DeadlineExceededError instead
   * when the deadline has already passed, so the caller sends nothing.
   */
  signal(): AbortSignal {
    const remaining = this.remainingMs();
    if (remaining <= 0) throw new DeadlineExceededError("The request's deadline passed before the call was sent");
    return AbortSignal.timeout(Math.ceil(remaining));
  }
}
