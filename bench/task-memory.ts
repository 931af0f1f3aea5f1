/**
 * The bench runs its targets as a Fargate task runs the service: inside a memory cgroup of the
 * task's size. Node sizes V8's heap from the cgroup's limit at start (`process.constrainedMemory()`),
 * and in a 512 MB or 1 GB task V8 collects the old generation far earlier than on a bench machine
 * with many GB free. Measured on the notes path (Node 24, 64 connections): peak RSS 112–115 MB in
 * a 512 MB or 1 GB cgroup against 162–170 MB without one, and CPU per request 10–25% higher.
 * Without the limit the bench would flatter the CPU figure capacity is derived from, and
 * misstate memory.
 *
 * Needs Linux and write access to the cgroup hierarchy (v1 or v2; root in a container usually has
 * it). Where that is missing the bench runs unconstrained and results.json says so and why.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** The smallest task the stacks run (dev: 256 CPU units, 512 MB, Fargate's least memory for them). */
export const TASK_MEMORY_MB = 512;

export type TaskMemory =
  | {
      readonly limitMb: number;
      /** Write a pid here (before exec) to put that process in the cgroup. */
      readonly procsFile: string;
      /** Removes the cgroup; its processes must have exited. */
      readonly remove: () => void;
    }
  | { readonly limitMb: null; readonly reason: string; readonly procsFile?: undefined; readonly remove: () => void };

const CGROUP_ROOT = "/sys/fs/cgroup";

/**
 * The command that runs `argv` inside the cgroup of `procsFile` (as is, without one): through sh,
 * which joins the cgroup and then execs, so the process is in it before node starts (V8 sizes its
 * heap at start) and keeps sh's pid.
 */
export function commandIn(procsFile: string | undefined, argv: readonly string[]): [string, string[]] {
  if (procsFile === undefined) return [argv[0]!, argv.slice(1)];
  return ["/bin/sh", ["-c", 'echo $$ > "$0" && exec "$@"', procsFile, ...argv]];
}

/** A fresh memory cgroup limited to `limitMb`, checked by asking Node inside it what it sees. */
export function taskMemoryCgroup(limitMb: number = TASK_MEMORY_MB): TaskMemory {
  const unavailable = (reason: string): TaskMemory => ({ limitMb: null, reason, remove: () => undefined });
  if (process.platform !== "linux") return unavailable(`no cgroups on ${process.platform}`);
  const name = `uaa-bench-${process.pid}`;
  const bytes = String(limitMb * 2 ** 20);
  // v2 (unified): one tree, the limit is memory.max. v1: the memory controller's own tree.
  const v2 = existsSync(join(CGROUP_ROOT, "cgroup.controllers"));
  const parent = v2 ? CGROUP_ROOT : join(CGROUP_ROOT, "memory");
  const dir = join(parent, name);
  removeStale(parent);
  try {
    mkdirSync(dir);
    writeFileSync(join(dir, v2 ? "memory.max" : "memory.limit_in_bytes"), bytes);
  } catch (err) {
    removeDir(dir);
    return unavailable(`cannot create a memory cgroup at ${dir}: ${(err as Error).message}`);
  }
  const procsFile = join(dir, "cgroup.procs");
  const seen = spawnSync(...commandIn(procsFile, [process.execPath, "-p", "process.constrainedMemory()"]), { encoding: "utf8" });
  if (seen.status !== 0 || seen.stdout.trim() !== bytes) {
    removeDir(dir);
    return unavailable(
      `node in ${dir} saw constrainedMemory ${JSON.stringify(seen.stdout.trim())}, not ${bytes} (${seen.stderr.trim() || `exit ${seen.status}`})`,
    );
  }
  return { limitMb, procsFile, remove: () => removeDir(dir) };
}

function removeDir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not created, or a process is still in it: the next bench removes it (removeStale).
  }
}

/** The cgroups of bench runs that were killed before they removed theirs. */
function removeStale(parent: string): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^uaa-bench-(\d+)$/.exec(name)?.[1];
    if (pid !== undefined && !alive(Number(pid))) removeDir(join(parent, name));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
