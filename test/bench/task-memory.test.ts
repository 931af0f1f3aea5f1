/**
 * The bench's task-sized memory cgroup (bench/task-memory.ts): the way a process is put into the
 * cgroup (commandIn) is checked everywhere; where the machine allows a cgroup, a process started in
 * it sees the limit and V8 sizes its heap from it. Where it does not, the test says so — as a test
 * annotation and on stderr, with the reason results.json records — instead of passing silently.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { commandIn, taskMemoryCgroup } from "../../bench/task-memory";

const HEAP_LIMIT = "require('node:v8').getHeapStatistics().heap_size_limit";
const CONSTRAINED = "process.constrainedMemory()";

function evalIn(procsFile: string | undefined, expression: string): number {
  const [command, args] = commandIn(procsFile, [process.execPath, "-p", expression]);
  return Number(execFileSync(command, args, { encoding: "utf8" }).trim());
}

describe("the bench's task memory cgroup", () => {
  it("commandIn runs a command as is without a cgroup, and with one writes the process's own pid to cgroup.procs before node starts", () => {
    expect(commandIn(undefined, ["node", "-p", "1"])).toEqual(["node", ["-p", "1"]]);
    // A plain file stands in for cgroup.procs: the pid written to it must be the pid node runs as
    // (sh execs node, so the kernel would move node itself into the cgroup, before V8 sizes its heap).
    const dir = mkdtempSync(join(tmpdir(), "uaa-task-memory-"));
    try {
      const procs = join(dir, "cgroup.procs");
      writeFileSync(procs, "");
      const pid = evalIn(procs, "process.pid");
      expect(Number.isInteger(pid) && pid > 0).toBe(true);
      expect(readFileSync(procs, "utf8").trim()).toBe(String(pid));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("puts a process under the limit, so V8 sizes its heap as in a task, and removes the cgroup after; or reports why it cannot", async ({ annotate }) => {
    const cgroup = taskMemoryCgroup(300);
    try {
      if (cgroup.limitMb === null) {
        // A machine without writable cgroups: the bench runs unconstrained and results.json says
        // why. Only the reason can be checked here; say loudly that the limit itself was not.
        expect(cgroup.reason).toMatch(/\S/);
        const message = `the cgroup limit could not be checked on this machine: ${cgroup.reason}`;
        console.warn(`task-memory.test.ts: ${message}`);
        await annotate(message, "warning");
        return;
      }
      expect(cgroup.limitMb).toBe(300);
      expect(evalIn(cgroup.procsFile, CONSTRAINED)).toBe(300 * 2 ** 20);
      // Node hands the limit to V8, which sizes the heap for a small machine (its floor, ~259 MB
      // on 64-bit) instead of for this one's GBs.
      expect(evalIn(cgroup.procsFile, HEAP_LIMIT)).toBeLessThan(evalIn(undefined, HEAP_LIMIT));
    } finally {
      cgroup.remove();
    }
    expect(existsSync(dirname(cgroup.procsFile))).toBe(false);
  });
});
