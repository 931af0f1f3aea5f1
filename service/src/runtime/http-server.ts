import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener, type Http2Bindings, type HttpBindings } from "@hono/node-server";

/**
 * A Hono app's fetch, given Node's request and response as its bindings (app-env.ts). The adapter
 * types them for HTTP/2 too; this server is HTTP/1.1 (node:http), so they are always HttpBindings.
 */
export type FetchHandler = (request: Request, env: HttpBindings | Http2Bindings) => unknown;

/** Timeouts chosen against the load balancer in front; see docs/runtime.md (Graceful shutdown). */
export const serverTimeouts = {
  // Above the ALB's idle timeout (60 s): the ALB, not the task, closes idle keep-alive
  // connections. If the task closed first, the ALB could reuse a socket just as it closes: a 502.
  keepAliveTimeoutMs: 65_000,
  // Node requires headersTimeout > keepAliveTimeout, or an idle keep-alive socket can be cut
  // by the headers timer while a request is arriving on it.
  headersTimeoutMs: 66_000,
  // The whole request must arrive within this (slow-loris bound). API Gateway gives up on the
  // integration after 29 s anyway, so nobody is waiting for a request slower than this.
  requestTimeoutMs: 30_000,
  // How often Node checks headers/request timeouts (its default).
  connectionsCheckingIntervalMs: 30_000,
} as const;

export type ServerTimeouts = { readonly [K in keyof typeof serverTimeouts]: number };

/**
 * An http.Server for the app with the timeouts above; not listening yet. Tests pass shorter
 * timeouts to watch them act in seconds; production uses the defaults.
 */
export function createHttpServer(fetch: FetchHandler, timeouts: ServerTimeouts = serverTimeouts): Server {
  const server = createServer({ connectionsCheckingInterval: timeouts.connectionsCheckingIntervalMs }, getRequestListener(fetch));
  server.keepAliveTimeout = timeouts.keepAliveTimeoutMs;
  server.headersTimeout = timeouts.headersTimeoutMs;
  server.requestTimeout = timeouts.requestTimeoutMs;
  return server;
}

/**
 * Listen on `host`, or on all interfaces when it is undefined (the container's network namespace,
 * which the load balancer reaches); resolves with the bound port.
 */
export function listen(server: Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
