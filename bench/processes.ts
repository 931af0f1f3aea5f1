import { spawn, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createServer } from "node:net";
import { commandIn } from "./task-memory";

/** Where targets' stdout/stderr go (gitignored with bench/.build). */
export const LOG_DIR = join(__dirname, ".build", "logs");

export interface Target {
  readonly name: string;
  readonly child: ChildProcess;
  readonly port: number;
  readonly url: string;
  /** Milliseconds from spawn to the first healthy answer. */
  readonly readyMs: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface StartOptions {
  readonly name: string;
  readonly script: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly nodeArgs?: readonly string[];
  /** Path polled until it answers 2xx; undefined = wait for a "ready" line on stdout. */
  readonly healthPath?: string;
  readonly timeoutMs?: number;
  /** A memory cgroup's `cgroup.procs` file: the target starts inside that cgroup. */
  readonly cgroupProcs?: string;
}

/** Start a target as its own process (its RSS is then its own) and wait until it is ready. */
export async function startTarget(options: StartOptions): Promise<Target> {
  const port = await freePort();
  // stdout goes to a file, as a container's goes to its log driver: a pipe to this process,
  // busy generating load, would fill up and stall the target's (synchronous) log writes.
  mkdirSync(LOG_DIR, { recursive: true });
  const logFile = join(LOG_DIR, `${options.name}.log`);
  const logFd = openSync(logFile, "w");
  const started = performance.now();
  const [command, args] = commandIn(options.cgroupProcs, [process.execPath, ...(options.nodeArgs ?? []), options.script]);
  const child = spawn(command, args, {
    env: { ...process.env, LOG_LEVEL: "info", ...options.env, PORT: String(port) },
    stdio: ["ignore", logFd, logFd],
  });
  closeSync(logFd);
  const output = () => readFileSync(logFile, "utf8").slice(0, 8192);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 20_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.name} exited with ${child.exitCode}: ${output()}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${options.name} not ready in time: ${output()}`);
    }
    if (options.healthPath === undefined ? /ready/.test(output()) : await healthy(url + options.healthPath)) break;
    await new Promise((r) => setTimeout(r, 5));
  }
  const readyMs = performance.now() - started;
  return { name: options.name, child, port, url, readyMs, stop: () => stopChild(child) };
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(500) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Resident set size now and at its peak, in MB (Linux /proc; undefined elsewhere). */
export function memoryOf(pid: number | undefined): { rssMb?: number; peakRssMb?: number } {
  if (pid === undefined) return {};
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1]);
    return { rssMb: round(kb("VmRSS") / 1024), peakRssMb: round(kb("VmHWM") / 1024) };
  } catch {
    return {};
  }
}

/**
 * User + system CPU time a process has used, in seconds (Linux /proc; NaN elsewhere). Per request
 * it is a cost that does not depend on how much of the 2 cores the load generator took.
 */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    // Fields after the command name (which may contain spaces) start at ") ".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
    const ticksPerSecond = 100; // USER_HZ on Linux
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return Number.NaN;
  }
}

export function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
