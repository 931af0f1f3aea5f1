/** Wait until a child answers HTTP 200, failing early (with its log tail) if it exits first. */
import type { RunningChild } from "./children";

export async function waitForHttp(url: string, child: RunningChild, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitedWith: number | NodeJS.Signals | undefined;
  void child.exited.then((code) => {
    exitedWith = code;
  });
  for (;;) {
    if (exitedWith !== undefined) {
      throw new Error(`${child.name} exited (${exitedWith}) before it was ready. Last output (${child.logFile}):\n${child.tail()}`);
    }
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
