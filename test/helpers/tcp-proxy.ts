import { createServer, connect, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";

/**
 * A TCP proxy in front of a local port that a test can switch off and on, to make a backend
 * (DynamoDB Local) unreachable without losing its in-memory state. The proxy keeps its port.
 * - `refuse()`: stop listening and reset every open connection (connection refused / reset).
 * - `blackhole()`: accept connections but never forward or answer (a network partition: timeouts).
 * - `restore()`: forward again.
 */
export interface TcpProxy {
  readonly endpoint: string;
  readonly mode: "up" | "refuse" | "blackhole";
  refuse(): Promise<void>;
  blackhole(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(targetPort: number, targetHost = "127.0.0.1"): Promise<TcpProxy> {
  let mode: TcpProxy["mode"] = "up";
  const sockets = new Set<Socket>();
  let server: Server;
  let port = 0;

  const onConnection = (client: Socket) => {
    sockets.add(client);
    client.on("close", () => sockets.delete(client));
    client.on("error", () => client.destroy());
    // Black hole: hold the connection, read and drop whatever arrives, never answer.
    if (mode === "blackhole") return void client.resume();
    const upstream = connect(targetPort, targetHost);
    sockets.add(upstream);
    upstream.on("close", () => {
      sockets.delete(upstream);
      client.destroy();
    });
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  };

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = createServer(onConnection);
      server.once("error", reject);
      server.listen(port, "127.0.0.1", () => {
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.resetAndDestroy();
      sockets.clear();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  await listen();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get mode() {
      return mode;
    },
    async refuse() {
      mode = "refuse";
      await stopListening();
    },
    async blackhole() {
      await stopListening();
      mode = "blackhole";
      await listen();
    },
    async restore() {
      await stopListening();
      mode = "up";
      await listen();
    },
    async close() {
      await stopListening();
    },
  };
}
