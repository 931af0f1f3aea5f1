/**
 * Whether process `pid` holds a listening TCP socket on `port`: its socket fds (/proc/<pid>/fd)
 * against the kernel's socket tables (/proc/net/tcp, tcp6). Linux only; elsewhere `undefined`
 * (unknown), and the caller falls back to trusting the answer on the port.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

const LISTEN_STATE = "0A";

export function listensOn(pid: number, port: number): boolean | undefined {
  let inodes: Set<string>;
  try {
    inodes = new Set(
      readdirSync(`/proc/${pid}/fd`)
        .map((fd) => {
          try {
            return /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
          } catch {
            return undefined; // closed while we looked
          }
        })
        .filter((inode): inode is string => inode !== undefined),
    );
  } catch {
    return process.platform === "linux" ? false : undefined;
  }
  const hexPort = port.toString(16).toUpperCase().padStart(4, "0");
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text: string;
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10) continue;
      const [, local, , state] = fields;
      if (state === LISTEN_STATE && local?.endsWith(`:${hexPort}`) && inodes.has(fields[9]!)) return true;
    }
  }
  return false;
}
