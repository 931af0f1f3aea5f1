/** Which addresses of this machine reach a listening port: tells "127.0.0.1 only" from "all interfaces". */
import { connect } from "node:net";
import { networkInterfaces, platform } from "node:os";

/**
 * Addresses of this machine other than 127.0.0.1 that a socket listening on all interfaces
 * answers on: 127.0.0.2 (Linux routes all of 127/8 to the loopback), ::1, and every non-loopback
 * address of the interfaces (link-local IPv6 left out: it needs a scope to connect to).
 */
export function otherLocalAddresses(): string[] {
  const external = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal && !a.address.startsWith("fe80:"))
    .map((a) => a!.address);
  return [...(platform() === "linux" ? ["127.0.0.2"] : []), "::1", ...external];
}

/** True when a TCP connection to host:port is accepted; false when refused or unroutable. */
export function connectsTo(host: string, port: number, timeoutMs = 3_000): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connecting to ${host}:${port} hung for ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("connect", () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(true);
    });
    socket.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (["ECONNREFUSED", "EADDRNOTAVAIL", "ENETUNREACH", "EHOSTUNREACH", "EAFNOSUPPORT"].includes(err.code ?? "")) resolve(false);
      else reject(err);
    });
  });
}

/** The subset of `hosts` that accept a connection on `port`. */
export async function reachableOn(hosts: readonly string[], port: number): Promise<string[]> {
  const reached: string[] = [];
  for (const host of hosts) if (await connectsTo(host, port)) reached.push(host);
  return reached;
}
