import { connect, type Socket } from "node:net";

/** A response read off a raw socket: status, lower-cased headers, body text. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A raw HTTP/1.1 client socket, for requests no well-behaved client would send. */
export interface RawConnection {
  readonly socket: Socket;
  /** Bytes this client has written so far. */
  readonly written: number;
  write(data: string | Buffer): Promise<void>;
  /** Resolves with the first complete response (by Content-Length), or rejects if the socket closes first. */
  readonly response: Promise<RawResponse>;
  /** Resolves when the server closes the connection. */
  readonly closed: Promise<void>;
  destroy(): void;
}

export async function rawConnect(port: number): Promise<RawConnection> {
  const socket = connect(port, "127.0.0.1");
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  socket.on("error", () => {});
  let written = 0;
  let received = Buffer.alloc(0);
  const response = new Promise<RawResponse>((resolve, reject) => {
    const tryParse = () => {
      const end = received.indexOf("\r\n\r\n");
      if (end < 0) return;
      const [statusLine = "", ...lines] = received.subarray(0, end).toString("latin1").split("\r\n");
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const i = line.indexOf(":");
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      const length = Number(headers["content-length"] ?? 0);
      const body = received.subarray(end + 4);
      if (body.length < length) return;
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body: body.subarray(0, length).toString("utf8") });
    };
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      tryParse();
    });
    socket.on("close", () => reject(new Error(`closed before a complete response (${received.length} bytes received)`)));
  });
  response.catch(() => {});
  const closed = new Promise<void>((resolve) => socket.on("close", () => resolve()));
  return {
    socket,
    get written() {
      return written;
    },
    write: (data) =>
      new Promise<void>((resolve, reject) => {
        if (socket.destroyed || socket.writableEnded) return reject(new Error("socket closed"));
        written += Buffer.byteLength(data);
        socket.write(data, (err) => (err ? reject(err) : resolve()));
      }),
    response,
    closed,
    destroy: () => socket.destroy(),
  };
}
