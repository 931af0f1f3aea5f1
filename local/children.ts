/**
 * Child processes of the local stack. Each child runs in its own process group (detached), so
 * Ctrl-C reaches only the orchestrator, which stops the children in order. Three nets against
 * orphans: stop() signals the whole group (SIGTERM, then SIGKILL after a deadline); the
 * orchestrator's `exit` handler SIGKILLs any group still alive; and local/guard.cjs, preloaded
 * into each child, exits when the orchestrator's IPC channel closes (orchestrator crashed).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdirSync, type WriteStream } from "node:fs";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";

export const GUARD_PATH = join(__dirname, "guard.cjs");

export interface ChildSpec {
  /** Short name for logs and errors, e.g. "cognito-local". */
  readonly name: string;
  /** Arguments after `node` (the guard is prepended). */
  readonly nodeArgs: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Every output line is appended here. */
  readonly logFile: string;
  /** Also called with every output line (e.g. to echo service logs in `npm run dev`). */
  readonly onLine?: (line: string) => void;
}

export interface RunningChild {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code (or signal) once the process is gone. */
  readonly exited: Promise<number | NodeJS.Signals>;
  /** Last lines of output, for error messages. */
  tail(): string;
  /** SIGTERM the group, SIGKILL it after `graceMs`, resolve once it exited. */
  stop(graceMs?: number): Promise<number | NodeJS.Signals>;
  /**
   * The first IPC message from now on that `accept` takes (the service reports its bound port
   * this way). Pending forever if the child exits first: race it with `exited`.
   */
  nextMessage<T>(accept: (message: unknown) => message is T): Promise<T>;
}

const alive = new Set<number>();
/** How long `exited` waits after the exit for the child's output to be read to the end. */
const OUTPUT_DRAIN_CAP_MS = 2000;
let exitHookInstalled = false;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: the orchestrator is exiting (normally or by an uncaught error).
  process.on("exit", () => {
    for (const pid of alive) killGroup(pid, "SIGKILL");
  });
}

export function startChild(spec: ChildSpec): RunningChild {
  installExitHook();
  mkdirSync(dirname(spec.logFile), { recursive: true });
  const log: WriteStream = createWriteStream(spec.logFile, { flags: "a" });
  const child: ChildProcess = spawn(process.execPath, ["--require", GUARD_PATH, ...spec.nodeArgs], {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  if (child.pid === undefined) throw new Error(`${spec.name}: could not start (${process.execPath})`);
  const pid: number = child.pid;
  alive.add(pid);
  child.channel?.unref();

  const lines: string[] = [];
  const onLine = (line: string): void => {
    lines.push(line);
    if (lines.length > 30) lines.shift();
    if (!log.writableEnded) log.write(`${line}\n`);
    spec.onLine?.(line);
  };
  if (child.stdout) createInterface({ input: child.stdout }).on("line", onLine);
  if (child.stderr) createInterface({ input: child.stderr }).on("line", onLine);

  // "close" follows "exit" once stdout and stderr are drained: wait for it (capped, in case
  // something else holds the pipes), so tail() has the last lines when `exited` resolves — the
  // line saying why the child stopped (e.g. EADDRINUSE) is usually the last one.
  const outputClosed = new Promise<void>((resolve) => child.once("close", () => resolve()));
  const exited = new Promise<number | NodeJS.Signals>((resolve) => {
    child.once("exit", (code, signal) => {
      alive.delete(pid);
      // The group may still hold grandchildren: make sure it is empty.
      killGroup(pid, "SIGKILL");
      const cap = new Promise<void>((r) => setTimeout(r, OUTPUT_DRAIN_CAP_MS).unref());
      void Promise.race([outputClosed, cap]).then(() => {
        log.end();
        resolve(code ?? signal ?? 0);
      });
    });
  });

  async function stop(graceMs = 8000): Promise<number | NodeJS.Signals> {
    if (!alive.has(pid)) return exited;
    killGroup(pid, "SIGTERM");
    const timer = setTimeout(() => killGroup(pid, "SIGKILL"), graceMs);
    try {
      return await exited;
    } finally {
      clearTimeout(timer);
    }
  }

  function nextMessage<T>(accept: (message: unknown) => message is T): Promise<T> {
    return new Promise((resolve) => {
      // Listening refs the channel (Node does so for a "message" listener): listen only until the
      // message came or the child is gone, so the channel stays unref'd otherwise.
      const onMessage = (message: unknown): void => {
        if (!accept(message)) return;
        child.off("message", onMessage);
        resolve(message);
      };
      child.on("message", onMessage);
      void exited.then(() => child.off("message", onMessage));
    });
  }

  return { name: spec.name, pid, logFile: spec.logFile, exited, tail: () => lines.join("\n"), stop, nextMessage };
}
