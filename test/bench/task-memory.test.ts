/**
 * The bench's task-sized memory cgroup (bench/task-memory.ts): where the machine allows one, a
 * process started in it sees the limit and V8 sizes its heap from it; where not, the reason is given.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { describe, expect, it } from "vitest";
import { commandIn, taskMemoryCgroup } from "../../bench/task-memory";

const HEAP_LIMIT = "require('node:v8').getHeapStatistics().heap_size_limit";
const CONSTRAINED = "process.constrainedMemory()";

function evalIn(procsFile: string | undefined, expression: string): number {
  const [command, args] = commandIn(procsFile, [process.execPath, "-p", expression]);
  return Number(execFileSync(command, args, { encoding: "utf8" }).trim());
}

describe("the bench's task memory cgroup", () => {
  it("puts a process under the limit, so V8 sizes its heap as in a task, and removes the cgroup after; or says why it cannot", () => {
    const cgroup = taskMemoryCgroup(300);
    try {
      if (cgroup.limitMb === null) {
        // A machine without writable cgroups: the bench runs unconstrained and results.json says why.
        expect(cgroup.reason).toMatch(/\S/);
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
