/**
 * The DynamoDB transport's own contract (service/src/dynamo/transport.ts), against a stand-in that
 * answers as told: DynamoDB's errors keep their type and status, what the SDK retries is retried
 * once, and a caller's AbortSignal ends a call — attempt in flight or retry pending — when it fires.
 * A deadline is read by the clock too, right before an attempt's bytes are written: a timer that
 * fires late (a busy event loop) cannot let a write out after it (no request waits on the store past its deadline).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoAbortError, DynamoServiceError, DynamoTimeoutError, earlierAttemptMayHaveApplied } from "../../service/src/dynamo/errors";
import type { CallDeadline } from "../../service/src/dynamo/transport";
import { localTransport } from "../helpers/dynamodb";

type Answer = (req: IncomingMessage, res: ServerResponse) => void;
const answers: Answer[] = [];
const targets: string[] = [];
let endpoint: string;
const server = createServer((req, res) => {
  targets.push(String(req.headers["x-amz-target"]));
  req.resume();
  (answers.shift() ?? ok({}))(req, res);
});

const ok =
  (body: unknown): Answer =>
  (_req, res) =>
    void res.writeHead(200, { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify(body));
const error =
  (status: number, type: string): Answer =>
  (_req, res) =>
    void res
      .writeHead(status, { "content-type": "application/x-amz-json-1.0", "x-amzn-requestid": "req-1" })
      .end(JSON.stringify({ __type: `com.amazonaws.dynamodb.v20120810#${type}`, message: type }));
/** Never answers (the socket stays open). */
const hang: Answer = () => undefined;
/** `answer`, `ms` after the request arrived. */
const after =
  (ms: number, answer: Answer): Answer =>
  (req, res) =>
    void setTimeout(() => answer(req, res), ms);

/**
 * A deadline whose timer never fires (the worst case of a late timer): only its clock can stop a send.
 * `passed` says when it has passed.
 */
function lateTimerDeadline(passed: () => boolean): CallDeadline {
  return {
    get expired() {
      return passed();
    },
    signal: () => new AbortController().signal,
  };
}

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function fresh(answerList: Answer[]): void {
  answers.splice(0, answers.length, ...answerList);
  targets.length = 0;
}

describe("DynamoTransport", () => {
  it("sends the operation as X-Amz-Target and returns the parsed answer", async () => {
    fresh([ok({ Item: { userId: { S: "u" } } })]);
    const transport = localTransport(endpoint);
    await expect(transport.send("GetItem", { TableName: "t", Key: { userId: { S: "u" } } })).resolves.toEqual({ Item: { userId: { S: "u" } } });
    expect(targets).toEqual(["DynamoDB_20120810.GetItem"]);
    transport.destroy();
  });

  it("a client error is not retried and keeps DynamoDB's type and status", async () => {
    fresh([error(400, "ConditionalCheckFailedException")]);
    const transport = localTransport(endpoint, { maxAttempts: 2 });
    const err = await transport.send("PutItem", { TableName: "t", Item: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DynamoServiceError);
    expect(err).toMatchObject({ name: "ConditionalCheckFailedException", $metadata: { httpStatusCode: 400, requestId: "req-1" } });
    expect(targets).toHaveLength(1);
    transport.destroy();
  });

  it("throttling and 5xx are retried once; a second failure is the caller's", async () => {
    fresh([error(400, "ThrottlingException"), ok({ Count: 1 })]);
    const transport = localTransport(endpoint, { maxAttempts: 2 });
    await expect(transport.send("Query", { TableName: "t" })).resolves.toEqual({ Count: 1 });
    fresh([error(500, "InternalServerError"), error(503, "ServiceUnavailable")]);
    await expect(transport.send("Query", { TableName: "t" })).rejects.toMatchObject({ name: "ServiceUnavailable", $metadata: { httpStatusCode: 503 } });
    expect(targets).toHaveLength(2);
    transport.destroy();
  });

  it("a call whose earlier attempt may have been applied (5xx, timeout, cut-off) says so on its final error; after a refusal (throttling) it does not", async () => {
    const transport = localTransport(endpoint, { maxAttempts: 2, requestTimeoutMs: 200 });
    const cut: Answer = (_req, res) => void res.socket?.destroy();
    for (const unknown of [error(500, "InternalServerError"), hang, cut]) {
      fresh([unknown, error(400, "ConditionalCheckFailedException")]);
      const err = await transport.send("UpdateItem", { TableName: "t", Key: {} }).catch((e: unknown) => e);
      expect(err).toMatchObject({ name: "ConditionalCheckFailedException" });
      expect(earlierAttemptMayHaveApplied(err)).toBe(true);
    }
    fresh([error(400, "ProvisionedThroughputExceededException"), error(400, "ConditionalCheckFailedException")]);
    const refused = await transport.send("UpdateItem", { TableName: "t", Key: {} }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: "ConditionalCheckFailedException" });
    expect(earlierAttemptMayHaveApplied(refused)).toBe(false);
    // One attempt only: nothing earlier to be unsure of.
    fresh([error(400, "ConditionalCheckFailedException")]);
    expect(earlierAttemptMayHaveApplied(await transport.send("UpdateItem", { TableName: "t", Key: {} }).catch((e: unknown) => e))).toBe(false);
    transport.destroy();
  });

  it("a TransactionCanceledException keeps its cancellation reasons, in the request's order", async () => {
    fresh([
      (_req, res) =>
        void res.writeHead(400, { "content-type": "application/x-amz-json-1.0" }).end(
          JSON.stringify({
            __type: "com.amazonaws.dynamodb.v20120810#TransactionCanceledException",
            Message: "Transaction cancelled",
            CancellationReasons: [{ Code: "ConditionalCheckFailed", Message: "The conditional request failed" }, { Code: "None" }],
          }),
        ),
    ]);
    const transport = localTransport(endpoint);
    const err = await transport.send("TransactWriteItems", { TransactItems: [] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: "TransactionCanceledException", CancellationReasons: [{ Code: "ConditionalCheckFailed" }, { Code: "None" }] });
    transport.destroy();
  });

  it("an attempt that gets no answer times out (TimeoutError) and is retried", async () => {
    fresh([hang, ok({})]);
    const transport = localTransport(endpoint, { maxAttempts: 2, requestTimeoutMs: 200 });
    await expect(transport.send("Query", { TableName: "t" })).resolves.toEqual({});
    fresh([hang]);
    const one = localTransport(endpoint, { maxAttempts: 1, requestTimeoutMs: 200 });
    await expect(one.send("Query", { TableName: "t" })).rejects.toBeInstanceOf(DynamoTimeoutError);
    transport.destroy();
    one.destroy();
  });

  it("the caller's AbortSignal ends the call in flight or between attempts, and sends nothing once fired", async () => {
    const transport = localTransport(endpoint, { maxAttempts: 2, requestTimeoutMs: 30_000 });
    // In flight: the stand-in never answers; the abort ends it long before the request timeout.
    fresh([hang]);
    const controller = new AbortController();
    const inFlight = transport.send("PutItem", { TableName: "t", Item: {} }, { signal: controller.signal });
    while (targets.length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort(new Error("write deadline"));
    const err = await inFlight.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DynamoAbortError);
    expect(err).toMatchObject({ name: "AbortError", message: expect.stringContaining("write deadline") });

    // Throttled, then the deadline passes — during the backoff (up to 1 s) or the retry, which hangs:
    // either way the call ends at the deadline, not at the request timeout.
    fresh([error(400, "ProvisionedThroughputExceededException"), hang]);
    const started = performance.now();
    const retry = transport.send("PutItem", { TableName: "t", Item: {} }, { signal: AbortSignal.timeout(300) });
    await expect(retry).rejects.toBeInstanceOf(DynamoAbortError);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(targets.length).toBeGreaterThanOrEqual(1);

    // Already fired: nothing is sent.
    fresh([]);
    await expect(transport.send("PutItem", { TableName: "t", Item: {} }, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(DynamoAbortError);
    expect(targets).toHaveLength(0);
    transport.destroy();
  });

  it("an interceptor sees every attempt, may change what is sent and answered, and cannot send once the signal fired", async () => {
    fresh([error(500, "InternalServerError"), ok({ Count: 1 })]);
    const seen: string[] = [];
    const transport = localTransport(endpoint, {
      maxAttempts: 2,
      interceptor: async ({ operation, attempt }, send) => {
        seen.push(`${operation}#${attempt}`);
        const out = (await send({ TableName: "changed" })) as Record<string, unknown>;
        return { ...out, Intercepted: true };
      },
    });
    await expect(transport.send("Query", { TableName: "t" })).resolves.toEqual({ Count: 1, Intercepted: true });
    expect(seen).toEqual(["Query#1", "Query#2"]);
    const controller = new AbortController();
    const late = localTransport(endpoint, {
      interceptor: async (_attempt, send) => {
        controller.abort(new Error("deadline"));
        return send();
      },
    });
    fresh([ok({})]);
    await expect(late.send("PutItem", { TableName: "t", Item: {} }, { signal: controller.signal })).rejects.toBeInstanceOf(DynamoAbortError);
    expect(targets).toHaveLength(0);
    transport.destroy();
    late.destroy();
  });

  describe("a deadline whose timer is late sends nothing after it (by the clock)", () => {
    it("passed while the attempt waited for credentials: nothing is sent", async () => {
      fresh([ok({})]);
      const at = performance.now() + 50;
      const slowKeys = async () => {
        await new Promise((r) => setTimeout(r, 150));
        return { accessKeyId: "local", secretAccessKey: "local" };
      };
      const transport = localTransport(endpoint, { credentials: slowKeys });
      const call = transport.send("PutItem", { TableName: "t", Item: {} }, { deadline: lateTimerDeadline(() => performance.now() >= at) });
      await expect(call).rejects.toBeInstanceOf(DynamoAbortError);
      expect(targets).toEqual([]);
      transport.destroy();
    });

    it("passed while the attempt waited for a pooled socket: nothing is sent", async () => {
      // One socket; the first call holds it for 200 ms, and the deadline passes as that call arrives.
      let passed = false;
      fresh([
        (req, res) => {
          passed = true;
          after(200, ok({}))(req, res);
        },
        ok({}),
      ]);
      const transport = localTransport(endpoint, { maxSockets: 1, requestTimeoutMs: 30_000 });
      const first = transport.send("Query", { TableName: "t" });
      const queued = transport.send("PutItem", { TableName: "t", Item: {} }, { deadline: lateTimerDeadline(() => passed) });
      await expect(first).resolves.toEqual({});
      await expect(queued).rejects.toBeInstanceOf(DynamoAbortError);
      expect(targets).toEqual(["DynamoDB_20120810.Query"]);
      // The transport is still usable afterwards.
      await expect(transport.send("Query", { TableName: "t" })).resolves.toEqual({});
      transport.destroy();
    });

    it("passed during a retryable failure: no retry is sent, the failure is the caller's", async () => {
      let passed = false;
      fresh([
        (req, res) => {
          passed = true;
          error(500, "InternalServerError")(req, res);
        },
        ok({}),
      ]);
      const transport = localTransport(endpoint, { maxAttempts: 2 });
      const call = transport.send("PutItem", { TableName: "t", Item: {} }, { deadline: lateTimerDeadline(() => passed) });
      await expect(call).rejects.toMatchObject({ name: "InternalServerError" });
      expect(targets).toHaveLength(1);
      transport.destroy();
    });

    it("its signal still ends an attempt in flight, and a deadline already passed is refused before anything", async () => {
      fresh([hang]);
      const transport = localTransport(endpoint, { requestTimeoutMs: 30_000 });
      const controller = new AbortController();
      const inFlight = transport.send("PutItem", { TableName: "t", Item: {} }, { deadline: { expired: false, signal: () => controller.signal } });
      while (targets.length === 0) await new Promise((r) => setTimeout(r, 5));
      controller.abort(new Error("write deadline"));
      await expect(inFlight).rejects.toBeInstanceOf(DynamoAbortError);
      fresh([]);
      const gone = new Error("already passed");
      await expect(
        transport.send(
          "PutItem",
          { TableName: "t", Item: {} },
          {
            deadline: {
              expired: true,
              signal: () => {
                throw gone;
              },
            },
          },
        ),
      ).rejects.toBe(gone);
      expect(targets).toEqual([]);
      transport.destroy();
    });
  });
});
