/** Port checks for the local stack: 0 picks a free port, a busy port is a clear error. */
import { createServer, type Server } from "node:net";

export const LOCAL_HOST = "127.0.0.1";

/** How the user changes a given port: the env var and the `npm run dev` flag. */
export interface PortSetting {
  /** Human name, e.g. "gateway". */
  readonly name: string;
  readonly env: string;
  readonly flag: string;
}

export class PortBusyError extends Error {
  override readonly name = "PortBusyError";
  constructor(
    readonly port: number,
    readonly setting: PortSetting,
  ) {
    super(
      `Port ${port} (${setting.name}) is already in use. Stop whatever listens there, or pick another port: ` +
        `${setting.env}=<port> npm run dev, or npm run dev -- ${setting.flag} <port> (0 = any free port).`,
    );
  }
}

/** Listen briefly on `port` (0 = any) and return the port that was bound. */
function probe(port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === "object" && address ? address.port : port;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * Check a configured port: any port other than 0 must be free now, or a PortBusyError names it and
 * how to change it; 0 becomes a port that is free now. Either is only true now: another process
 * may take the port before ours binds it, so a part that can bind 0 itself should (listenOn), and
 * whoever binds a probed port must handle losing it (local/cognito/process.ts).
 */
export async function reservePort(port: number, setting: PortSetting, host: string = LOCAL_HOST): Promise<number> {
  try {
    return await probe(port, host);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE") throw new PortBusyError(port, setting);
    throw err;
  }
}

/** Turn a listen() EADDRINUSE into a PortBusyError; rethrow anything else. */
export function portError(err: unknown, port: number, setting: PortSetting): Error {
  if ((err as NodeJS.ErrnoException | undefined)?.code === "EADDRINUSE") return new PortBusyError(port, setting);
  return err instanceof Error ? err : new Error(String(err));
}

/** Listen on host:port (0 = any free port); a busy port is the PortBusyError naming the setting. */
export async function listenOn(server: Server, port: number, host: string, setting: PortSetting): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) => reject(portError(err, port, setting)));
    server.listen(port, host, () => resolve());
  });
  const address = server.address();
  return typeof address === "object" && address ? address.port : port;
}

/** How a part that must know its port before it binds (cognito-local, DynamoDB Local) is started on one. */
export interface ProbedPortStart<T> {
  /** The part's name in errors, e.g. "cognito-local". */
  readonly name: string;
  /** 0 = a probed free port, retried on a fresh one when another process takes it first. */
  readonly port: number;
  readonly setting: PortSetting;
  /** Fresh ports to try when `port` is 0. */
  readonly attempts: number;
  /** Tests: called with each probed port, before the part binds it. */
  readonly afterPortProbe?: (port: number) => void | Promise<void>;
  /** One start on `port`. */
  readonly startOn: (port: number) => Promise<T>;
  /** Whether `err` says another process had the port (the start is then retried, or PortBusyError). */
  readonly lostPort: (err: unknown) => boolean;
}

/**
 * Start a part on a probed port, retrying a lost race a bounded number of times: the probe says a
 * port is free only now, so whoever binds it later must handle losing it. An explicit port lost
 * after the early check is the same PortBusyError that check gives.
 */
export async function startOnProbedPort<T>(start: ProbedPortStart<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    let port = start.port;
    if (port === 0) {
      port = await reservePort(0, start.setting);
      await start.afterPortProbe?.(port);
    }
    try {
      return await start.startOn(port);
    } catch (err) {
      if (!start.lostPort(err)) throw err;
      if (start.port !== 0) throw new PortBusyError(start.port, start.setting);
      if (attempt >= start.attempts) {
        throw new Error(`${start.name}: ${attempt} free ports in a row were taken by other processes before it could bind them`, { cause: err });
      }
    }
  }
}
