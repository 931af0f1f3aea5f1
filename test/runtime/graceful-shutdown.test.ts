// The shutdown module in-process, for the paths the process test cannot wait for cheaply:
// the hard deadline, a second signal, and a connection that never sent a request.
import type { Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { gracefulShutdown, UNUSED_CONNECTION_GRACE_MS, type GracefulShutdown } from "../../service/src/runtime/graceful-shutdown";
import { createHttpServer, listen, serverTimeouts } from "../../service/src/runtime/http-server";
import { silentLogger } from "../helpers/app";
import { rawConnect } from "./net-helpers";

interface Harness {
  readonly server: Server;
  readonly port: number;
  readonly shutdown: GracefulShutdown;
  readonly exits: Promise<number>;
  readonly drained: () => boolean;
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    s.close();
  }
});

/** A server whose every request takes `requestMs`, with the shutdown installed before it listens. */
async function harness(timeoutMs: number, requestMs: number): Promise<Harness> {
  const server = createHttpServer(async () => {
    await new Promise((r) => setTimeout(r, requestMs));
    return new Response("ok");
  });
  servers.push(server);
  let drained = false;
  let exit!: (code: number) => void;
  const exits = new Promise<number>((resolve) => (exit = resolve));
  const shutdown = gracefulShutdown({ server, timeoutMs, logger: silentLogger, onDrain: () => (drained = true), exit });
  const port = await listen(server, 0);
  return { server, port, shutdown, exits, drained: () => drained };
}

describe("gracefulShutdown", () => {
  it("sets the server timeouts against the ALB's 60 s idle timeout", () => {
    const server = createHttpServer(() => new Response("ok"));
    expect(server.keepAliveTimeout).toBe(65_000);
    expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
    expect(server.requestTimeout).toBe(serverTimeouts.requestTimeoutMs);
  });

  it("exits 1 at the deadline when a request outlives it, closing its connection", async () => {
    const h = await harness(300, 5_000);
    const conn = await rawConnect(h.port);
    conn.socket.write("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
    await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    h.shutdown.begin("SIGTERM");
    expect(h.drained()).toBe(true);
    expect(h.shutdown.inFlight).toBe(1);
    expect(await h.exits).toBe(1);
    expect(performance.now() - started).toBeLessThan(1_000);
    await conn.closed;
  });

  it("exits at once on a second signal", async () => {
    const h = await harness(10_000, 5_000);
    const conn = await rawConnect(h.port);
    conn.socket.write("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n");
    await new Promise((r) => setTimeout(r, 50));
    h.shutdown.begin("SIGTERM");
    h.shutdown.begin("SIGTERM");
    expect(await h.exits).toBe(1);
  });

  it("closes a connection that never sent a request after a short grace, then exits 0", async () => {
    const h = await harness(10_000, 10);
    const conn = await rawConnect(h.port);
    await new Promise((r) => setTimeout(r, 20));
    const started = performance.now();
    h.shutdown.begin("SIGTERM");
    expect(await h.exits).toBe(0);
    await conn.closed;
    const took = performance.now() - started;
    expect(took).toBeGreaterThanOrEqual(UNUSED_CONNECTION_GRACE_MS * 0.9);
    expect(took).toBeLessThan(UNUSED_CONNECTION_GRACE_MS + 1_000);
  });

  it("exits 0 at once when nothing is connected", async () => {
    const h = await harness(10_000, 10);
    h.shutdown.begin("SIGINT");
    expect(await h.exits).toBe(0);
  });
});
