/**
 * Helpers for tests that run the built bundle as a child process, as the container does.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { buildService } from "../../service/build";
import { TEST_CLIENT_ID, TEST_ISSUER } from "../helpers/tokens";

export interface BuiltBundle {
  readonly file: string;
  readonly bytes: number;
  readonly externalImports: readonly string[];
  remove(): void;
}

/** Build dist/server.js into a temp dir (never the worktree's dist/, which parallel files would race on). */
export async function buildBundle(): Promise<BuiltBundle> {
  const dir = mkdtempSync(path.join(tmpdir(), "uaa-bundle-"));
  const file = path.join(dir, "server.js");
  const { bytes, externalImports } = await buildService(file);
  return { file, bytes, externalImports, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A decode-mode environment for the test pool; nothing inherited but PATH. */
export function serviceEnv(overrides: Record<string, string | undefined> = {}): Record<string, string> {
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH,
    PORT: "0",
    TABLE_NAME: "notes-test",
    AWS_REGION: "local",
    COGNITO_ISSUER: TEST_ISSUER,
    COGNITO_CLIENT_ID: TEST_CLIENT_ID,
    AUTH_MODE: "decode",
    ...overrides,
  };
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

export type LogLine = Record<string, unknown> & { msg?: string; level?: string };

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Every stdout/stderr line so far, parsed when JSON (else `{ raw }`). */
  readonly lines: LogLine[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  waitForLine(predicate: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  kill(): void;
}

export function startService(bundle: string, env: Record<string, string>): ServiceProcess {
  // The AWS SDK warns about Node 20 on stderr; not what these tests look at.
  // cwd next to the bundle: outside the repo, so nothing can come from a node_modules.
  const child = spawn(process.execPath, ["--no-warnings", bundle], { cwd: path.dirname(bundle), env, stdio: ["ignore", "pipe", "pipe"] });
  const lines: LogLine[] = [];
  const waiters = new Set<() => void>();
  const onData = (buffered: { text: string }) => (chunk: Buffer) => {
    buffered.text += chunk.toString("utf8");
    for (let nl = buffered.text.indexOf("\n"); nl >= 0; nl = buffered.text.indexOf("\n")) {
      const raw = buffered.text.slice(0, nl);
      buffered.text = buffered.text.slice(nl + 1);
      if (raw.trim() === "") continue;
      lines.push(parse(raw));
      for (const wake of waiters) wake();
    }
  };
  child.stdout?.on("data", onData({ text: "" }));
  child.stderr?.on("data", onData({ text: "" }));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal, at: performance.now() })),
  );

  return {
    child,
    lines,
    exited,
    waitForLine(predicate, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(predicate);
          if (!found) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching log line within ${timeoutMs} ms; got:\n${lines.map((l) => JSON.stringify(l)).join("\n")}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
        void exited.then(() =>
          setImmediate(() => {
            if (!waiters.has(check)) return;
            cleanup();
            reject(new Error(`process exited before a matching line; got:\n${lines.map((l) => JSON.stringify(l)).join("\n")}`));
          }),
        );
      });
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    },
  };
}

function parse(raw: string): LogLine {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === "object" && value !== null ? (value as LogLine) : { raw };
  } catch {
    return { raw };
  }
}

/** Poll GET url until it answers `status` (connection errors count as not yet). */
export async function waitForStatus(url: string, status: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status === status) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = String(err);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer ${status} within ${timeoutMs} ms (last: ${last})`);
}
