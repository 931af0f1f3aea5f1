/** Waiting on a child of the local stack: for what it reports, then for HTTP 200; failing early (with its log tail) if it exits first. */
import type { RunningChild } from "./children";

/** The child exited while we waited on it. */
export class ChildExitedError extends Error {
  override readonly name = "ChildExitedError";
  /** Its output says it could not bind its port (EADDRINUSE): another process took it. */
  readonly addressInUse: boolean;
  constructor(
    readonly child: RunningChild,
    readonly exitCode: number | NodeJS.Signals,
    before: string,
  ) {
    const tail = child.tail();
    super(`${child.name} exited (${exitCode}) before ${before}. Last output (${child.logFile}):\n${tail}`);
    this.addressInUse = /\bEADDRINUSE\b/.test(tail);
  }
}

/**
 * Resolve with what `report` resolves with (the child's own word on the port it bound), or reject
 * with a ChildExitedError if the child exits first, or after `timeoutMs`.
 */
export async function waitForReport<T>(report: Promise<T>, child: RunningChild, what: string, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const exited = child.exited.then((code) => Promise.reject(new ChildExitedError(child, code, what)));
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${child.name}: no ${what} after ${timeoutMs} ms. Last output (${child.logFile}):\n${child.tail()}`)), timeoutMs);
  });
  // The losers of the race must not surface as unhandled rejections.
  exited.catch(() => undefined);
  try {
    return await Promise.race([report, exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export async function waitForHttp(url: string, child: RunningChild, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: number | NodeJS.Signals | undefined;
  void child.exited.then((code) => {
    exitedWith = code;
  });
  for (;;) {
    if (exitedWith !== undefined) throw new ChildExitedError(child, exitedWith, "it was ready");
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new Error(`${child.name} not ready at ${url} after ${timeoutMs} ms. Last output (${child.logFile}):\n${child.tail()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
