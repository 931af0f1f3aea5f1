/**
 * Listening TCP sockets of processes, as the kernel sees them (Linux /proc): a process's socket fds
 * (/proc/<pid>/fd) against the kernel's socket tables (/proc/net/tcp, tcp6). Used by the local
 * stack (is this JVM the one holding the port?) and by the tests (is anything of a stack left?).
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

const LISTEN_STATE = "0A";

/** Socket inodes of a process's open file descriptors; undefined when its fds cannot be read. */
function socketInodes(pid: number): Set<string> | undefined {
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return undefined;
  }
  const inodes = new Set<string>();
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1] as string);
    } catch {
      // Closed while we looked.
    }
  }
  return inodes;
}

/** The TCP ports (IPv4 and IPv6) on which any of `pids` holds a listening socket, ascending. */
export function listeningPorts(pids: readonly number[]): number[] {
  const inodes = new Set(pids.flatMap((pid) => [...(socketInodes(pid) ?? [])]));
  const ports = new Set<number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let lines: string[];
    try {
      lines = readFileSync(table, "utf8").split("\n").slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const cols = line.trim().split(/\s+/);
      if (cols[3] === LISTEN_STATE && inodes.has(cols[9] ?? "")) ports.add(parseInt((cols[1] ?? "").split(":")[1] ?? "", 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}

/**
 * Whether process `pid` holds a listening TCP socket on `port`. Linux only; elsewhere `undefined`
 * (unknown), and the caller falls back to trusting the answer on the port.
 */
export function listensOn(pid: number, port: number): boolean | undefined {
  if (socketInodes(pid) === undefined) return process.platform === "linux" ? false : undefined;
  return listeningPorts([pid]).includes(port);
}
