import pino, { type DestinationStream, type Logger as PinoLogger } from "pino";

/**
 * The process's pino logger: one JSON object per line on stdout (awslogs ships it to CloudWatch),
 * level as a label ("info", not 30) so Logs Insights queries read naturally, no pid/hostname
 * (the task and stream already say where a line came from).
 * `destination` is for tests that capture the output.
 */
export function createRootLogger(level: string, destination?: DestinationStream): PinoLogger {
  const options = { level, base: undefined, formatters: { level: (label: string) => ({ level: label }) } };
  // Asynchronous stdout: a synchronous write per request line was 19% of /me's CPU in the
  // profile (and stalls the event loop whenever the log reader lags). Lines that pile up while a
  // write is in flight go out together; order is kept (one stream), and pino flushes what is
  // still buffered synchronously on process exit (shutdown, bad config), so nothing is lost there.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: false }));
}
