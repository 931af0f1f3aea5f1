/** The CLI's create: a fresh Idempotency-Key per note, the same one on each of its retries. */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseIdempotencyKey } from "../../contract/idempotency-key";
import { apiRequest } from "../../client/api";
import { createWithIdempotencyKey } from "../../client/create-note";

type Answer = (req: IncomingMessage, res: ServerResponse) => void;
const answers: Answer[] = [];
const keys: (string | undefined)[] = [];
const server = createServer((req, res) => {
  const header = req.headers["idempotency-key"];
  const parsed = typeof header === "string" ? parseIdempotencyKey(header) : undefined;
  keys.push(parsed && "key" in parsed ? parsed.key : undefined);
  req.resume();
  (answers.shift() ?? created)(req, res);
});
const created: Answer = (_req, res) => void res.writeHead(201, { "content-type": "application/json" }).end('{"id":"n1"}');
const unavailable: Answer = (_req, res) =>
  void res.writeHead(503, { "content-type": "application/json", "retry-after": "2" }).end('{"error":{"code":"unavailable","message":"retry"}}');
const dropped: Answer = (_req, res) => void res.socket?.destroy();
let url: string;
const waits: number[] = [];
const sleep = async (ms: number) => void waits.push(ms);
const send = (headers: Record<string, string>) => apiRequest(url, "POST", "/notes", { json: { title: "t", body: "" }, headers });

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("createWithIdempotencyKey", () => {
  it("retries a dropped connection and a 503 with the same key (waiting Retry-After), and returns the 201", async () => {
    answers.splice(0, answers.length, dropped, unavailable, created);
    keys.length = 0;
    waits.length = 0;
    const res = await createWithIdempotencyKey(send, { sleep });
    expect(res.status).toBe(201);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(waits).toEqual([1_000, 2_000]);
  });

  it("each create has a key of its own", async () => {
    keys.length = 0;
    await createWithIdempotencyKey(send, { sleep });
    await createWithIdempotencyKey(send, { sleep });
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
  });

  it("gives up after its attempts: the last answer (a 503) is returned; a 4xx is never retried", async () => {
    answers.splice(0, answers.length, unavailable, unavailable, unavailable);
    keys.length = 0;
    expect((await createWithIdempotencyKey(send, { sleep })).status).toBe(503);
    expect(keys).toHaveLength(3);
    answers.splice(
      0,
      answers.length,
      (_req, res) => void res.writeHead(422, { "content-type": "application/json" }).end('{"error":{"code":"idempotency_key_reused","message":"m"}}'),
    );
    keys.length = 0;
    expect((await createWithIdempotencyKey(send, { sleep })).status).toBe(422);
    expect(keys).toHaveLength(1);
  });
});
