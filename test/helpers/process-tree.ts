/**
 * A process tree as the kernel sees it (Linux /proc): every descendant of a pid, whatever process
 * group it moved to. With listeningPorts (local/dynamodb/listening-socket.ts), for tests that must
 * prove that nothing of a stack is left running.
 */
import { readdirSync, readFileSync } from "node:fs";

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
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** Every living descendant of `root` (children, grandchildren…), not `root` itself. */
export function descendants(root: number): number[] {
  const stats = allPids()
    .map(stat)
    .filter((s): s is ProcStat => s !== undefined);
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
