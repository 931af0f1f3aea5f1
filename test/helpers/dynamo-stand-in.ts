import { Agent, createServer, request, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request as DynamoDB would have seen it. */
export interface SeenRequest {
  /** The operation (`Query`, `PutItem`, …), from X-Amz-Target. */
  readonly operation: string;
  /** The access key id in the Authorization header's `Credential=`. */
  readonly accessKeyId: string | undefined;
  /** The rest of it after the date: `<region>/dynamodb/aws4_request`. */
  readonly credentialScope: string | undefined;
  readonly securityToken: string | undefined;
  readonly throttled: boolean;
}

/**
 * An HTTP stand-in for DynamoDB's endpoint in front of DynamoDB Local: it forwards every request, records
 * who signed it (DynamoDB Local checks that a request is signed, not by whom, so this is where a
 * test sees which keys were used),
 * and can answer the next requests with DynamoDB's throttling error instead, as DynamoDB does.
 */
export interface DynamoStandIn {
  readonly endpoint: string;
  readonly seen: readonly SeenRequest[];
  /** Answer the next `count` requests (Infinity: all) with 400 ProvisionedThroughputExceededException. */
  throttle(count: number): void;
  /** Requests still to be throttled. */
  readonly throttlesLeft: number;
  close(): Promise<void>;
}

const THROTTLED_BODY = JSON.stringify({
  __type: "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
  message: "The level of configured provisioned throughput for the table was exceeded.",
});

export async function startDynamoStandIn(upstream: string): Promise<DynamoStandIn> {
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  const seen: SeenRequest[] = [];
  let throttlesLeft = 0;
  const server = createServer((req, res) => {
    const throttled = throttlesLeft > 0;
    if (throttled) throttlesLeft--;
    const credential = /Credential=([^/,\s]+)\/\d{8}\/([^,\s]+)/.exec(one(req.headers.authorization) ?? "");
    seen.push({
      operation: operationOf(req.headers),
      accessKeyId: credential?.[1],
      credentialScope: credential?.[2],
      securityToken: one(req.headers["x-amz-security-token"]),
      throttled,
    });
    if (throttled) {
      req.resume();
      res.writeHead(400, { "content-type": "application/x-amz-json-1.0" }).end(THROTTLED_BODY);
      return;
    }
    const forward = request({ hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    throttle(count) {
      throttlesLeft = count;
    },
    get throttlesLeft() {
      return throttlesLeft;
    },
    close: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function operationOf(headers: IncomingHttpHeaders): string {
  return one(headers["x-amz-target"])?.split(".")[1] ?? "";
}
