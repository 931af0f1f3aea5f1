/**
 * `npm run dev` stopped the way IDE stop buttons, process managers and
 * `kill <pid>` stop it — one signal to the launcher (npm) alone, never to its process group —
 * stops the whole stack: within 5 s every port is free and no process of the stack is left.
 * Before, npm and its shell exited and the orchestrator and its children kept every port.
 * The three signals run in parallel, each its own stack on free ports in a temp dir. SIGTERM's
 * stack starts its own DynamoDB Local (a JVM, which must stop with the rest); the other two use
 * the test run's, through --dynamodb-endpoint, so three JVMs do not start at once.
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { reservePort } from "../../local/ports";
import { PORT_SETTINGS } from "../../local/settings";
import { testDynamoEndpoint } from "../helpers/dynamodb";
import { listeningPorts } from "../../local/dynamodb/listening-socket";
import { descendants, isRunning } from "../helpers/process-tree";

const REPO_ROOT = resolve(__dirname, "../..");
const STOP_DEADLINE_MS = 5_000;

async function waitFor(what: string, done: () => boolean | Promise<boolean>, timeoutMs: number, log: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`${what} not within ${timeoutMs} ms. Output so far:\n${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function isFree(port: number): Promise<boolean> {
  return reservePort(port, PORT_SETTINGS.gateway).then(
    () => true,
    () => false,
  );
}

const portOf = (url: string): number => Number(new URL(url).port);

describe.concurrent("npm run dev, stopped by one signal to the launcher alone", () => {
  it.each(["SIGTERM", "SIGHUP", "SIGINT"] as const)(
    "%s to npm: every port free and no process of the stack left within 5 s",
    async (signal) => {
      const dir = mkdtempSync(join(tmpdir(), `uaa-dev-${signal}-`));
      const ownDynamo = signal === "SIGTERM";
      const ports = ["--gateway-port", "0", "--cognito-port", "0", "--service-port", "0", "--dynamodb-port", "0"];
      const dynamo = ownDynamo ? [] : ["--dynamodb-endpoint", testDynamoEndpoint()];
      // As a launcher starts it: a child in a process group of its own, which is never signalled.
      const npm = spawn("npm", ["run", "dev", "--", ...ports, ...dynamo, "--data-dir", dir], {
        cwd: REPO_ROOT,
        detached: true,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, NODE_ENV: "test" },
      });
      let output = "";
      npm.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
      npm.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
      // Every process of the stack writes to these pipes: they end when the last one has exited.
      const outputEnded = Promise.all([once(npm.stdout, "close"), once(npm.stderr, "close")]);
      const npmPid = npm.pid!;
      let stack: number[] = [];
      try {
        await waitFor(
          "the banner",
          () => output.includes("Ctrl-C stops everything."),
          90_000,
          () => output,
        );
        stack = descendants(npmPid);
        const outputs = JSON.parse(readFileSync(join(dir, "outputs.local.json"), "utf8")) as Record<string, string>;
        const held = listeningPorts([npmPid, ...stack]);
        // Not vacuous: the gateway, cognito-local, the service (and its own DynamoDB Local) are all up and found.
        for (const url of [outputs.apiUrl, outputs.cognitoEndpoint, outputs.serviceUrl]) expect(held).toContain(portOf(url as string));
        expect(held.length).toBeGreaterThanOrEqual(ownDynamo ? 4 : 3);
        // cognito-local, the service, and DynamoDB Local's wrapper and JVM.
        expect(stack.length).toBeGreaterThanOrEqual(ownDynamo ? 4 : 2);

        const signalledAt = Date.now();
        process.kill(npmPid, signal);
        await waitFor(
          `the whole stack (pids ${[npmPid, ...stack].join(", ")}, ports ${held.join(", ")}) gone`,
          async () => ![npmPid, ...stack].some(isRunning) && (await Promise.all(held.map(isFree))).every(Boolean),
          STOP_DEADLINE_MS,
          () => output,
        );
        expect(Date.now() - signalledAt).toBeLessThan(STOP_DEADLINE_MS);
        // The orchestrator says what it does, and when it is done.
        await outputEnded;
        expect(output).toMatch(/stopping the local stack…\n(.*\n)*stopped\n/);
      } finally {
        for (const pid of [npmPid, ...stack]) {
          try {
            process.kill(pid, "SIGKILL");
          } catch {
            // Gone, as it should be.
          }
        }
        rmSync(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
