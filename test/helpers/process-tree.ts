/**
 * A process tree as the kernel sees it (Linux /proc): every descendant of a pid, whatever process
 * group it moved to, and the TCP ports those processes listen on. For tests that must prove that
 * nothing of a stack is left running.
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** R, S, D, Z (zombie: exited, not reaped yet)… */
  readonly state: string;
}

function stat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // `pid (comm) state ppid …`; comm may contain spaces and parentheses: split after the last ")".
    const [state, ppid] = text.slice(text.lastIndexOf(")") + 2).split(" ");
    return { pid, ppid: Number(ppid), state: state ?? "?" };
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  return readdirSync("/proc").filter((name) => /^\d+$/.test(name)).map(Number);
}

/** Every living descendant of `root` (children, grandchildren…), not `root` itself. */
export function descendants(root: number): number[] {
  const stats = allPids().map(stat).filter((s): s is ProcStat => s !== undefined);
  const found: number[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = stats.filter((s) => frontier.includes(s.ppid)).map((s) => s.pid);
    found.push(...next);
    frontier = next;
  }
  return found;
}

/** True while the process exists and has not exited (a zombie has exited; only its entry is left). */
export function isRunning(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== "Z";
}

/** Socket inodes of a process's open file descriptors. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1] as string);
    } catch {
      // Closed meanwhile.
    }
  }
  return inodes;
}

/** The TCP ports (IPv4 and IPv6) on which any of `pids` holds a listening socket. */
export function listeningPorts(pids: readonly number[]): number[] {
  const inodes = new Set(pids.flatMap((pid) => [...socketInodes(pid)]));
  const ports = new Set<number>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let lines: string[] = [];
    try {
      lines = readFileSync(table, "utf8").split("\n").slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const cols = line.trim().split(/\s+/);
      // local_address is `hexip:hexport`, st 0A = LISTEN, column 9 the inode.
      if (cols[3] === "0A" && inodes.has(cols[9] ?? "")) ports.add(parseInt((cols[1] ?? "").split(":")[1] ?? "", 16));
    }
  }
  return [...ports].sort((a, b) => a - b);
}
