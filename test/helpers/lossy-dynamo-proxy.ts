import { Agent, createServer, request } from "node:http";
import type { AddressInfo } from "node:net";

/** What the proxy does with an answer after DynamoDB Local has applied the request. */
export type Loss =
  /** Forward the request (it is applied), then answer 500 InternalServerError instead of the real answer. */
  | "answer-500"
  /** Forward the request (it is applied), then close the connection without an answer. */
  | "cut"
  /** Forward the request (it is applied), send the answer's headers and half its body, then close. */
  | "cut-mid-body"
  /** Do not forward: answer 500 at once (nothing is applied). */
  | "refuse-500";

/**
 * An HTTP proxy in front of DynamoDB Local that can lose answers: for the next requests of an
 * operation (`TransactWriteItems`, `UpdateItem`, …) it forwards the request, so DynamoDB Local
 * applies it, and then answers 500 or cuts the connection — what a client sees when the store
 * applied a write but its answer was lost on the way. Everything else passes through.
 */
export interface LossyDynamoProxy {
  readonly endpoint: string;
  /** The next `losses.length` requests of `operation` meet these losses, in order. */
  lose(operation: string, ...losses: Loss[]): void;
  /** Operations seen, in order (for the test's own checks). */
  readonly seen: readonly string[];
  /** Losses still queued. */
  pending(): number;
  close(): Promise<void>;
}

const INTERNAL_ERROR = JSON.stringify({ __type: "com.amazonaws.dynamodb.v20120810#InternalServerError", message: "Internal server error" });

export async function startLossyDynamoProxy(upstream: string): Promise<LossyDynamoProxy> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  const plans = new Map<string, Loss[]>();
  const seen: string[] = [];
  const server = createServer((req, res) => {
    const amzTarget = String(req.headers["x-amz-target"] ?? "");
    const operation = amzTarget.slice(amzTarget.indexOf(".") + 1);
    seen.push(operation);
    const loss = plans.get(operation)?.shift();
    if (loss === "refuse-500") {
      req.resume();
      res.writeHead(500, { "content-type": "application/x-amz-json-1.0" }).end(INTERNAL_ERROR);
      return;
    }
    const forward = request({ hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on("data", (c: Buffer) => chunks.push(c));
      answer.on("end", () => {
        // The store has applied the request and answered: now the answer is delivered, or lost.
        const body = Buffer.concat(chunks);
        if (loss === "answer-500") {
          res.writeHead(500, { "content-type": "application/x-amz-json-1.0" }).end(INTERNAL_ERROR);
        } else if (loss === "cut") {
          res.socket?.destroy();
        } else if (loss === "cut-mid-body") {
          res.writeHead(answer.statusCode ?? 502, { ...answer.headers, "content-length": String(body.length) });
          res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
        } else {
          res.writeHead(answer.statusCode ?? 502, answer.headers).end(body);
        }
      });
    });
    forward.on("error", () => res.socket?.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lose(operation, ...losses) {
      plans.set(operation, [...(plans.get(operation) ?? []), ...losses]);
    },
    seen,
    pending: () => [...plans.values()].reduce((n, l) => n + l.length, 0),
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
