import pino, { type DestinationStream, type Logger as PinoLogger } from "pino";

/**
 * Log lines gathered before one write to stdout. A request line is ~250 bytes, so under load one
 * write carries ~16 lines instead of one write (and one thread-pool round trip) for every few.
 */
export const LOG_BUFFER_BYTES = 4096;
/** A quiet service's lines still reach the log driver within this. */
export const LOG_FLUSH_INTERVAL_MS = 100;
/** How long an exit waits for buffered lines to be written before it exits anyway. */
export const LOG_FLUSH_TIMEOUT_MS = 1_000;

/**
 * The process's pino logger: one JSON object per line on stdout (awslogs ships it to CloudWatch),
 * level as a label ("info", not 30) so Logs Insights queries read naturally, no pid/hostname
 * (the task and stream already say where a line came from).
 * `destination` is for tests that capture the output.
 *
 * stdout is asynchronous and buffered: a synchronous write per request line was 19% of /me's CPU
 * in the profile (and stalls the event loop whenever the log reader lags); lines are written
 * LOG_BUFFER_BYTES at a time, or every LOG_FLUSH_INTERVAL_MS when traffic is low. Order is kept
 * (one stream). Nothing is lost on the way out: the graceful shutdown awaits `flushLogs` before
 * exiting, and pino writes whatever is still buffered synchronously on any process exit (a bad
 * config, a second signal) — test/runtime/log-flush.test.ts holds it to that.
 */
export function createRootLogger(level: string, destination?: DestinationStream): PinoLogger {
  const options = { level, base: undefined, formatters: { level: (label: string) => ({ level: label }) } };
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_INTERVAL_MS }));
}

/** Write every buffered line out; resolves when done, or after `timeoutMs` if stdout is stuck. */
export function flushLogs(logger: PinoLogger, timeoutMs = LOG_FLUSH_TIMEOUT_MS): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    logger.flush(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
