/** Raw HTTP/1.1 clients for the shutdown tests: keep-alive agents and sockets they control byte by byte. */
import * as http from "node:http";
import * as net from "node:net";

export interface SimpleResponse {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: string;
}

export function get(url: string, agent: http.Agent, headers: Record<string, string> = {}): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

/** A TCP connection whose received bytes and closing the test can watch. */
export interface RawConnection {
  readonly socket: net.Socket;
  received(): string;
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<void>;
  /** Resolves with the bytes received once they hold one whole response (or the connection closed). */
  waitForResponse(): Promise<string>;
}

export async function rawConnect(port: number): Promise<RawConnection> {
  const socket = net.connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let data = "";
  const listeners = new Set<() => void>();
  socket.setEncoding("utf8");
  socket.on("data", (chunk: string) => {
    data += chunk;
    for (const l of listeners) l();
  });
  socket.on("error", () => {});
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  return {
    socket,
    received: () => data,
    closed,
    waitForResponse() {
      return new Promise((resolve) => {
        const check = () => {
          const head = data.indexOf("\r\n\r\n");
          if (head < 0) return;
          const length = Number(/content-length:\s*(\d+)/i.exec(data.slice(0, head))?.[1] ?? 0);
          if (data.length - head - 4 < length) return;
          listeners.delete(check);
          resolve(data);
        };
        listeners.add(check);
        check();
        void closed.then(() => resolve(data));
      });
    },
  };
}

/** How a fresh TCP connection attempt ends: "connected", or the error code (ECONNREFUSED…), or "hung". */
export function connectOutcome(port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const timer = setTimeout(() => {
      socket.destroy();
      resolve("hung");
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve("connected");
    });
    socket.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(err.code ?? "error");
    });
  });
}

/**
 * An HTTP proxy in front of DynamoDB Local that holds every request for `delayMs`: slow DynamoDB calls
 * make slow requests without a test-only route in the product.
 */
export interface DelayProxy {
  readonly url: string;
  /** DynamoDB requests received so far (x-amz-target, e.g. DynamoDB_20120810.Query). */
  readonly targets: string[];
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startDelayProxy(upstream: string, delayMs: number): Promise<DelayProxy> {
  const target = new URL(upstream);
  const targets: string[] = [];
  const server = http.createServer((req, res) => {
    targets.push(String(req.headers["x-amz-target"] ?? ""));
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      setTimeout(() => {
        const out = http.request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        });
        out.on("error", () => res.destroy());
        out.end(Buffer.concat(chunks));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    async waitForRequests(count, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (targets.length < count) {
        if (Date.now() > deadline) throw new Error(`proxy saw ${targets.length} of ${count} requests`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
