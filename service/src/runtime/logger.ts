import pino, { type DestinationStream, type Logger as PinoLogger } from "pino";

/**
 * The process's pino logger: one JSON object per line on stdout (awslogs ships it to CloudWatch),
 * level as a label ("info", not 30) so Logs Insights queries read naturally, no pid/hostname
 * (the task and stream already say where a line came from).
 * `destination` is for tests that capture the output.
 */
export function createRootLogger(level: string, destination?: DestinationStream): PinoLogger {
  const options = { level, base: undefined, formatters: { level: (label: string) => ({ level: label }) } };
  // Synchronous stdout: lines keep their order and none is lost when the process exits right
  // after logging (shutdown, bad config). A write per line costs microseconds at this volume.
  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
}
