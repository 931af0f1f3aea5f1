/**
 * The service process: the only file that reads the environment, listens and handles signals.
 * Everything it composes lives in ./runtime (testable without a process).
 */
import { listeningMessage } from "../../contract/listening-message";
import { ConfigError, parseServiceConfig, type ServiceConfig } from "./config";
import { gracefulShutdown } from "./runtime/graceful-shutdown";
import { createHttpServer, listen } from "./runtime/http-server";
import { createRootLogger, flushLogs } from "./runtime/logger";
import { composeService } from "./runtime/start";

/** ms since the process started (performance's time origin is process start in Node). */
const sinceStart = (): number => Math.round(performance.now());

async function main(): Promise<void> {
  // Before the config is known: a valid LOG_LEVEL is honoured, anything else logs at info.
  const requested = process.env.LOG_LEVEL ?? "";
  const bootLevel = /^(fatal|error|warn|info|debug|trace|silent)$/.test(requested) ? requested : "info";
  const logger = createRootLogger(bootLevel);

  const config = configOrExit(logger);
  const logReady = (port: number): void => {
    logger.info({ port, host: config.LISTEN_HOST ?? "all interfaces", authMode: config.AUTH_MODE, startupMs: sinceStart() }, "ready");
    // Lines are buffered (runtime/logger.ts); "ready" should not wait for the next flush.
    logger.flush();
  };
  let listeningPort: number | undefined;
  const service = composeService(config, logger, {
    // The JWKS came back after a failed start: ready now.
    onReady: () => listeningPort !== undefined && logReady(listeningPort),
  });
  const server = createHttpServer(service.app.fetch);
  const shutdown = gracefulShutdown({
    server,
    timeoutMs: config.SHUTDOWN_TIMEOUT_MS,
    logger,
    onDrain: () => service.readiness.startDraining(),
    onClosed: () => service.close(),
    // Every buffered log line is written before the process ends.
    exit: (code) => void flushLogs(logger).then(() => process.exit(code)),
  });
  // SIGINT too: Ctrl-C in `npm run dev` drains the same way.
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => shutdown.begin(signal));

  // Verify mode: one attempt before listening; on failure we listen anyway, not ready (503),
  // and the loader retries in the background.
  if (service.jwks) await service.jwks.start();
  listeningPort = await listen(server, config.PORT, config.LISTEN_HOST);
  // A child of the local stack (IPC channel): tell it the port bound, so PORT=0 needs no probe
  // that another process could race. The container has no channel; a closed one is no error.
  process.send?.(listeningMessage(listeningPort), undefined, undefined, () => undefined);
  // Unfinished account deletions are finished whether or not their client comes back.
  service.reaper.start();
  if (service.readiness.isReady()) logReady(listeningPort);
  else logger.warn({ port: listeningPort, authMode: config.AUTH_MODE, startupMs: sinceStart() }, "listening, not ready");
}

function configOrExit(logger: ReturnType<typeof createRootLogger>): ServiceConfig {
  try {
    return parseServiceConfig(process.env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // One line naming the variables, exit 1: ECS shows the task stopped with a reason to read.
    logger.fatal({ variables: err.variables }, err.message);
    return process.exit(1);
  }
}

main().catch((err: unknown) => {
  // A bug or a port in use: one line on stderr (the logger may be what failed) and exit 1.
  process.stderr.write(`Startup failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
