/**
 * Slow and oversized clients, on a real socket server (@hono/node-server).
 * Oversized bodies are refused with 413 before the client has sent them; slow-header (slowloris)
 * and slow-body clients do not block others and are cut off by the server's timeouts.
 *
 * The server is the production one (service/src/runtime/http-server.ts createHttpServer), given
 * short timeouts so the cut-off is observable in a unit test; the production values are checked
 * against the load balancer's in test/runtime.
 */
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MeResponse } from "../../contract/claims";
import { isErrorBody } from "../../contract/errors";
import { createHttpServer, type ServerTimeouts } from "../../service/src/runtime/http-server";
import { testApp } from "../helpers/app";
import { startTestTable, type TestTable } from "../helpers/dynamodb";
import { rawConnect, type RawConnection } from "../helpers/raw-http";
import { idToken } from "../helpers/tokens";

/** Short on purpose (see above); the shapes match production: headers < request, keep-alive below both. */
const timeouts: ServerTimeouts = { headersTimeoutMs: 1_000, requestTimeoutMs: 2_000, keepAliveTimeoutMs: 500, connectionsCheckingIntervalMs: 100 };

let table: TestTable;
let server: Server;
let port: number;
const sub = randomUUID();
const token = idToken(sub);

beforeAll(async () => {
  table = await startTestTable();
  const app = testApp(table);
  // The production server factory, with short timeouts.
  server = createHttpServer(app.fetch, timeouts);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await table.close();
});

const KiB = 1024;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function head(lines: string[]): string {
  return [...lines, "", ""].join("\r\n");
}

function expectJsonError(res: { status: number; headers: Readonly<Record<string, string>>; body: string }, code: string): void {
  expect(res.headers["content-type"]).toMatch(/^application\/json/);
  const body: unknown = JSON.parse(res.body);
  expect(isErrorBody(body) && body.error.code).toBe(code);
}

/** A normal client on its own connection: GET /me must answer 200 with its identity. */
async function normalRequest(): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/me`, { headers: { Authorization: token, Connection: "close" } });
  const me = (await res.json()) as MeResponse;
  expect(me.sub).toBe(sub);
  return res.status;
}

describe("oversized bodies", () => {
  it("Content-Length: 10 MB → 413 JSON after only 64 KiB was sent (the body is never read whole)", async () => {
    const conn = await rawConnect(port);
    await conn.write(
      head(["POST /notes HTTP/1.1", "Host: test", `Authorization: ${token}`, "Content-Type: application/json", `Content-Length: ${10 * 1024 * KiB}`]),
    );
    await conn.write(Buffer.alloc(64 * KiB, "a")).catch(() => {});
    const res = await conn.response;
    expect(res.status).toBe(413);
    expectJsonError(res, "payload_too_large");
    expect(conn.written).toBeLessThan(80 * KiB);
    conn.destroy();
  });

  it("a chunked body without a length → 413 JSON once past 16 KiB, the stream never finished", async () => {
    const conn = await rawConnect(port);
    await conn.write(head(["POST /notes HTTP/1.1", "Host: test", `Authorization: ${token}`, "Content-Type: application/json", "Transfer-Encoding: chunked"]));
    const chunk = Buffer.alloc(4 * KiB, "b");
    let answered = false;
    void conn.response.then(
      () => (answered = true),
      () => (answered = true),
    );
    for (let sent = 0; sent < 64 * KiB && !answered; sent += chunk.length) {
      await conn.write(Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")])).catch(() => {});
      await pause(5);
    }
    // No terminating 0-length chunk was ever sent.
    const res = await conn.response;
    expect(res.status).toBe(413);
    expectJsonError(res, "payload_too_large");
    conn.destroy();
  });

  it("an oversized body without a valid token is refused with 401 first, also without being read", async () => {
    const conn = await rawConnect(port);
    await conn.write(head(["POST /notes HTTP/1.1", "Host: test", "Content-Type: application/json", `Content-Length: ${10 * 1024 * KiB}`]));
    await conn.write(Buffer.alloc(16 * KiB, "c")).catch(() => {});
    const res = await conn.response;
    expect(res.status).toBe(401);
    expectJsonError(res, "unauthorized");
    conn.destroy();
  });

  it("after all that, normal requests are served", async () => {
    expect(await normalRequest()).toBe(200);
  });
});

describe("slow clients", () => {
  /** Sends a request's headers one byte at a time every `everyMs` until the server closes the socket. */
  function drip(conn: RawConnection, text: string, everyMs: number): Promise<void> {
    return (async () => {
      for (const ch of text) {
        if (conn.socket.destroyed) return;
        await conn.write(ch).catch(() => {});
        await pause(everyMs);
      }
    })();
  }

  it("10 slowloris sockets dripping headers do not block others, and the server cuts them off (headersTimeout)", async () => {
    const slow = await Promise.all(Array.from({ length: 10 }, () => rawConnect(port)));
    const request = head(["GET /me HTTP/1.1", "Host: test", `Authorization: ${token}`, `X-Padding: ${"p".repeat(200)}`]);
    const dripping = slow.map((conn) => drip(conn, request, 50));

    // Meanwhile, normal clients on fresh connections are answered.
    for (let round = 0; round < 5; round++) {
      const statuses = await Promise.all(Array.from({ length: 6 }, normalRequest));
      expect(statuses).toEqual(statuses.map(() => 200));
      await pause(50);
    }

    // Every slow socket is closed by the server long before its headers could complete (~28 s of dripping).
    await Promise.all(slow.map((conn) => conn.closed));
    for (const conn of slow) {
      const res = await conn.response.catch(() => undefined);
      // Node answers 408 (or just closes); never the protected route's 200.
      if (res) expect(res.status).toBe(408);
      expect(conn.written).toBeLessThan(request.length);
    }
    await Promise.all(dripping);
  }, 20_000);

  it("a slow body (1 byte per 50 ms) is cut off by requestTimeout while others are served", async () => {
    const conn = await rawConnect(port);
    const body = JSON.stringify({ title: "slow", body: "x".repeat(200) });
    await conn.write(
      head(["POST /notes HTTP/1.1", "Host: test", `Authorization: ${token}`, "Content-Type: application/json", `Content-Length: ${Buffer.byteLength(body)}`]),
    );
    const headerBytes = conn.written;
    const dripping = drip(conn, body, 50);
    expect(await normalRequest()).toBe(200);
    await conn.closed;
    // Cut off before the body was complete.
    expect(conn.written - headerBytes).toBeLessThan(body.length);
    const res = await conn.response.catch(() => undefined);
    if (res) expect(res.status).toBe(408);
    await dripping;
  }, 20_000);
});
