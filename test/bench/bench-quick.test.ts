import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { BASELINE_FILE, LATEST_FILE } from "../../bench/baseline";

const run = promisify(execFile);
const root = join(__dirname, "../..");
/** What git sees under bench/, untracked files included: a plain run must not change it. */
const benchStatus = () => execFileSync("git", ["status", "--porcelain", "--untracked-files=all", "--", "bench"], { cwd: root, encoding: "utf8" });

// Keeps `npm run bench` from rotting: the shape of what it writes, never a speed.
describe("npm run bench -- --quick", () => {
  it("runs every scenario, writes every ratio, the startup time and the machine to the ignored results, and leaves the working tree as it was", async () => {
    const statusBefore = benchStatus();
    const baselineBefore = readFileSync(BASELINE_FILE, "utf8");
    const { stdout } = await run(process.execPath, ["--import", "tsx", "bench/run.ts", "--quick"], {
      cwd: root,
      timeout: 150_000,
    });
    // The committed baseline is untouched and git sees nothing new: the results went to an ignored place.
    expect(readFileSync(BASELINE_FILE, "utf8")).toBe(baselineBefore);
    expect(benchStatus()).toBe(statusBefore);
    expect(stdout).toContain(`written to ${LATEST_FILE}`);
    // It says how it compares with the committed baseline.
    expect(stdout).toContain("against the committed baseline (bench/results.json");
    expect(stdout).toContain("capacity: a --quick run does not measure cost");
    expect(stdout).toContain("req/s");
    const report = JSON.parse(readFileSync(LATEST_FILE, "utf8")) as {
      machine: { cores: number; node: string };
      options: { quick: boolean };
      taskMemory: { limitMb: number | null; reason?: string };
      scenarios: {
        id: string;
        reqPerSec: number;
        p50Ms: number;
        p99Ms: number;
        rssMb?: number;
        requests: number;
        non2xx: number;
        cpuUsPerRequest: number | null;
      }[];
      ratios: { name: string; measure: string; value: number | null; target: number }[];
      limits: { name: string; value: number | null; max: number }[];
      startup: { medianMs: number; runs: number };
      exportMemory: {
        notes: number;
        exportMb: number;
        production: { completed: boolean; peakGrowthMb: number; rssBeforeMb: number; durationMs: number };
        bounded: { completed: boolean; maxOldSpaceMb: number; durationMs: number };
        met: boolean;
      };
      deleteMe: { accounts: number; notesPerAccount: number; p50Ms: number; p95Ms: number; userDeletions: number; targetP50Ms: number; met: boolean };
    };
    expect(report.options.quick).toBe(true);
    // The targets ran in a task-sized memory cgroup, or the report says why not.
    const taskMemory = report.taskMemory;
    if (taskMemory.limitMb === null) expect(taskMemory.reason).toMatch(/\S/);
    else expect(taskMemory.limitMb).toBe(512);
    expect(report.machine.node).toBe(process.version);
    expect(report.scenarios.map((s) => s.id)).toEqual([
      "nodeHttp",
      "honoBare",
      "honoLogged",
      "expressMe",
      "meDecode",
      "notesList",
      "notesCreate",
      "floorList",
      "floorCreate",
      "meVerify",
      "meGateway",
    ]);
    for (const s of report.scenarios) {
      expect(s.requests, s.id).toBeGreaterThan(0);
      // A bench of 401s or 503s would measure the wrong path.
      expect(s.non2xx, s.id).toBe(0);
      expect(typeof s.reqPerSec).toBe("number");
      expect(typeof s.p99Ms).toBe("number");
      expect(typeof s.cpuUsPerRequest).toBe("number");
    }
    expect(report.ratios.map((r) => r.name)).toEqual([
      "decode / bare Hono (4/2)",
      "decode / Express (4/3)",
      "decode / Hono + log line (4/2b)",
      "verify / decode (5/4)",
      "gateway / decode (7/4)",
      "GET /notes CPU / reference (6/8)",
      "POST /notes CPU / reference (6/8)",
    ]);
    for (const r of report.ratios) expect(typeof r.value, r.name).toBe("number");
    expect(report.ratios.filter((r) => r.measure === "cpuUsPerRequest").map((r) => r.target)).toEqual([2, 2]);
    // The retired "≥ 0.85 × bare Hono" target is reported for information only, never as met or not.
    expect(report.ratios.find((r) => r.name === "decode / bare Hono (4/2)")).toMatchObject({ target: 0, met: null });
    expect(report.limits.map((l) => [l.name, typeof l.value, l.max])).toEqual([
      ["notes peak RSS MB (6)", "number", 128],
      ["DELETE /me p50 ms, 100 notes", "number", 1_000],
    ]);
    // DELETE /me of accounts with 100 notes: every one answered 204 (else the run fails), one AdminDeleteUser each.
    expect(report.deleteMe).toMatchObject({ accounts: 5, notesPerAccount: 100, userDeletions: 5, targetP50Ms: 1_000 });
    expect(typeof report.deleteMe.p50Ms).toBe("number");
    // The export of 5 000 notes and the service's peak RSS growth during it.
    expect(report.exportMemory).toMatchObject({ notes: 5_000, production: { completed: true } });
    expect(report.exportMemory.exportMb).toBeGreaterThan(5);
    expect(typeof report.exportMemory.production.peakGrowthMb).toBe("number");
    expect(typeof report.exportMemory.bounded.completed).toBe("boolean");
    expect(typeof report.exportMemory.met).toBe("boolean");
    expect(report.startup.runs).toBeGreaterThan(0);
    expect(typeof report.startup.medianMs).toBe("number");
  }, 180_000);
});
