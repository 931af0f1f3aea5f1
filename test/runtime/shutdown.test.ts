// SIGTERM during traffic drops no request. The bundle runs as a child process with
// DynamoDB behind a proxy that holds each call, so GET /notes is slow without any test-only route.
import * as http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestTable, type TestTable } from "../helpers/dynamodb";
import { idToken } from "../helpers/tokens";
import { connectOutcome, get, rawConnect, startDelayProxy, type DelayProxy } from "./net-helpers";
import { buildBundle, serviceEnv, startService, waitForStatus, type BuiltBundle, type ServiceProcess } from "./support";

const SLOW_MS = 1_500;
const SHUTDOWN_TIMEOUT_MS = 6_000;
const SLOW_REQUESTS = 4;

let bundle: BuiltBundle;
let table: TestTable;
let proxy: DelayProxy;
let service: ServiceProcess;
let port: number;

beforeAll(async () => {
  [bundle, table] = await Promise.all([buildBundle(), startTestTable()]);
  proxy = await startDelayProxy(table.endpoint, SLOW_MS);
  service = startService(
    bundle.file,
    serviceEnv({ DYNAMODB_ENDPOINT: proxy.url, TABLE_NAME: table.tableName, SHUTDOWN_TIMEOUT_MS: String(SHUTDOWN_TIMEOUT_MS) }),
  );
  port = (await service.waitForLine((l) => l.msg === "ready")).port as number;
  await waitForStatus(`http://127.0.0.1:${port}/health`, 200);
});
afterAll(async () => {
  service?.kill();
  await proxy?.close();
  await table?.close();
  bundle?.remove();
});

describe("graceful shutdown of the bundled service on SIGTERM", () => {
  it("finishes every in-flight request 2xx with Connection: close, answers /health 503, refuses new connections, exits 0 before the deadline", async () => {
    const base = `http://127.0.0.1:${port}`;
    const agent = new http.Agent({ keepAlive: true, maxSockets: SLOW_REQUESTS });
    const auth = { Authorization: idToken("5107d0w2-0000-4000-8000-000000000001") };

    // Keep-alive clients: each socket has served a request before the slow ones.
    const warm = await Promise.all(Array.from({ length: SLOW_REQUESTS }, () => get(`${base}/health`, agent)));
    expect(warm.map((r) => r.headers.connection)).toEqual(Array(SLOW_REQUESTS).fill("keep-alive"));

    // An idle keep-alive connection (one request served, then nothing)…
    const idle = await rawConnect(port);
    idle.socket.write("GET /health HTTP/1.1\r\nHost: test\r\n\r\n");
    expect(await idle.waitForResponse()).toMatch(/^HTTP\/1\.1 200/);
    // …and a health check already on the wire: its headers arrive before SIGTERM, their end after.
    const check = await rawConnect(port);
    check.socket.write("GET /health HTTP/1.1\r\nHost: test\r\n");

    const slow = Array.from({ length: SLOW_REQUESTS }, () => get(`${base}/notes`, agent, auth));
    await proxy.waitForRequests(SLOW_REQUESTS);

    const sigtermAt = performance.now();
    service.child.kill("SIGTERM");
    const draining = await service.waitForLine((l) => l.msg === "draining");
    expect(draining).toMatchObject({ signal: "SIGTERM", inFlight: SLOW_REQUESTS, timeoutMs: SHUTDOWN_TIMEOUT_MS });

    // The idle keep-alive socket is closed at once, not after keepAliveTimeout.
    await idle.closed;
    expect(performance.now() - sigtermAt).toBeLessThan(SLOW_MS);

    // The health check that was arriving is answered 503, and told the connection is done.
    check.socket.write("\r\n");
    const health = await check.waitForResponse();
    expect(health).toMatch(/^HTTP\/1\.1 503/);
    expect(health).toMatch(/\r\nconnection: close\r\n/i);
    expect(health).toContain('"code":"unavailable"');

    // A new connection is refused at once (the ALB retries it on another target), not left hanging.
    expect(await connectOutcome(port, 1_000)).toBe("ECONNREFUSED");

    // Every in-flight request completes 2xx and closes its keep-alive connection.
    const done = await Promise.all(slow);
    for (const res of done) {
      expect(res.status).toBe(200);
      expect(res.headers.connection).toBe("close");
      expect(JSON.parse(res.body)).toEqual({ items: [], nextCursor: null });
    }

    const exit = await service.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    const shutdownMs = exit.at - sigtermAt;
    expect(shutdownMs).toBeGreaterThanOrEqual(SLOW_MS * 0.5);
    expect(shutdownMs).toBeLessThan(SHUTDOWN_TIMEOUT_MS);
    expect(service.lines.some((l) => l.msg === "drained")).toBe(true);
    agent.destroy();
  });
});
