import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Logger } from "../logger";

export interface GracefulShutdownOptions {
  readonly server: Server;
  /** Hard deadline; keep it below ECS's stopTimeout so the exit is ours, not a SIGKILL. */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Called first, synchronously: readiness turns false so `/health` answers 503. */
  readonly onDrain: () => void;
  /** Called once everything is closed, before exiting (stop timers, close clients). */
  readonly onClosed?: () => void;
  /** process.exit in production; a spy in tests. */
  readonly exit: (code: number) => void;
}

/**
 * A connection that has not sent a single request counts as busy for Node (its headers timer is
 * running), so `closeIdleConnections` leaves it open and `server.close()` would wait for it until
 * the deadline. After this grace — time for a request already on the wire to arrive — it is closed.
 */
export const UNUSED_CONNECTION_GRACE_MS = 1_000;

export interface GracefulShutdown {
  /** Begin draining (first signal) or exit at once (second signal). */
  begin(signal: string): void;
  readonly draining: boolean;
  /** Responses not finished yet. */
  readonly inFlight: number;
}

/**
 * Drains the server on SIGTERM so a deploy, scale-in or rollback drops no request:
 * 1. readiness false (`/health` 503), so the load balancer stops choosing this task;
 * 2. `server.close()`: the listening socket closes, new connections are refused at once
 *    (a refused connection is retried elsewhere by the ALB; a hung one is not);
 * 3. in-flight responses get `Connection: close`, so each keep-alive client learns with its
 *    answer that this socket is finished, and idle keep-alive sockets are closed now;
 * 4. exit 0 when the last connection closes — or exit 1 at the deadline (requests were cut,
 *    and the non-zero code says so in the stopped task), or at once on a second signal.
 *
 * Must be installed before the app's request listener runs, so every response is tracked.
 */
export function gracefulShutdown(options: GracefulShutdownOptions): GracefulShutdown {
  const { server, timeoutMs, logger, onDrain, onClosed, exit } = options;
  const inFlight = new Set<ServerResponse>();
  const unused = new Set<Socket>();
  let draining = false;
  let exited = false;

  const finish = (code: number): void => {
    if (exited) return;
    exited = true;
    onClosed?.();
    exit(code);
  };

  server.on("connection", (socket: Socket) => {
    unused.add(socket);
    socket.once("close", () => unused.delete(socket));
  });
  // prependListener: runs before the app's listener, i.e. before any header can be written.
  server.prependListener("request", function trackResponse(req: IncomingMessage, res: ServerResponse) {
    unused.delete(req.socket);
    // A request that got in on an open keep-alive socket during the drain: serve it, then close.
    if (draining) closeAfterResponse(res);
    inFlight.add(res);
    res.once("close", () => {
      inFlight.delete(res);
      // Its socket may now be idle and kept alive (headers were sent before the drain): close it.
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
  });

  return {
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight.size;
    },
    begin(signal: string) {
      if (draining) {
        logger.warn({ signal, inFlight: inFlight.size }, "second signal: exiting now");
        finish(1);
        return;
      }
      draining = true;
      const started = performance.now();
      onDrain();
      logger.info({ signal, inFlight: inFlight.size, timeoutMs }, "draining");
      for (const res of inFlight) closeAfterResponse(res);

      const deadline = setTimeout(() => {
        logger.error({ inFlight: inFlight.size, timeoutMs }, "shutdown deadline reached: closing connections");
        server.closeAllConnections();
        finish(1);
      }, timeoutMs);

      // The callback runs when every connection has closed (or at once if never listening).
      server.close(() => {
        clearTimeout(deadline);
        logger.info({ durationMs: Math.round(performance.now() - started) }, "drained");
        finish(0);
      });
      server.closeIdleConnections();
      setTimeout(
        () => {
          for (const socket of unused) socket.destroy();
        },
        Math.min(UNUSED_CONNECTION_GRACE_MS, timeoutMs / 2),
      ).unref();
    },
  };
}

/** @hono/node-server writes headers when the response is complete, so this is nearly always in time. */
function closeAfterResponse(res: ServerResponse): void {
  if (!res.headersSent) res.setHeader("Connection", "close");
}
