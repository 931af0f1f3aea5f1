/**
 * A plain bench run writes to an ignored place and is compared with the committed baseline; only
 * `--record` rewrites the baseline — and, since infra reads its capacity figure from that file,
 * the capacity figure with it. The writer is tested on scratch copies, never the committed file.
 */
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { BASELINE_FILE, compareWithBaseline, LATEST_FILE, outputFor, readReport, recordBaseline } from "../../bench/baseline";
import { NOTES_CPU_US_PER_REQUEST, requestCountTargetPerMinute } from "../../infra/backend/capacity";
import { notesCpuUsPerRequestOf } from "../../infra/backend/capacity-baseline";

const root = join(__dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "uaa-baseline-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Report = { options: { quick: boolean }; scenarios: { id: string; label: string; reqPerSec: number; cpuUsPerRequest: number | null }[] };
const committed = (): Report => JSON.parse(readFileSync(BASELINE_FILE, "utf8")) as Report;

/** The committed report with the notes scenarios' CPU figures replaced. */
function withNotesCpu(list: number, create: number, quick = false): Report {
  const r = committed();
  return {
    ...r,
    options: { ...r.options, quick },
    scenarios: r.scenarios.map((s) =>
      s.id === "notesList" ? { ...s, cpuUsPerRequest: list } : s.id === "notesCreate" ? { ...s, cpuUsPerRequest: create } : s,
    ),
  };
}

describe("where a bench run writes", () => {
  it("a plain, --quick or --profile run writes to bench/.results, which git ignores; the committed baseline is tracked", () => {
    for (const args of [[], ["--quick"], ["--profile"], ["--quick", "--profile"]]) expect(outputFor(args)).toEqual({ file: LATEST_FILE, record: false });
    expect(outputFor(["--out", "/tmp/x.json"])).toEqual({ file: "/tmp/x.json", record: false });
    const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8" });
    expect(git("check-ignore", relative(root, LATEST_FILE)).trim()).toBe(relative(root, LATEST_FILE));
    expect(git("ls-files", "--error-unmatch", relative(root, BASELINE_FILE)).trim()).toBe("bench/results.json");
  });

  it("only --record writes the committed baseline, and only from a full run", () => {
    expect(outputFor(["--record"])).toEqual({ file: BASELINE_FILE, record: true });
    expect(outputFor(["--record", "--profile"])).toEqual({ file: BASELINE_FILE, record: true });
    expect(() => outputFor(["--record", "--quick"])).toThrow(/full run: drop --quick/);
    expect(() => outputFor(["--record", "--duration", "3"])).toThrow(/drop --duration/);
    expect(() => outputFor(["--record", "--out", "x.json"])).toThrow(/drop --out/);
    expect(() => outputFor(["--out"])).toThrow(/--out needs a file/);
  });

  it("npm run bench -- --record --quick stops before running anything, leaving the baseline as it was", async () => {
    const before = readFileSync(BASELINE_FILE, "utf8");
    const run = promisify(execFile)(process.execPath, ["--import", "tsx", "bench/run.ts", "--record", "--quick"], { cwd: root, timeout: 60_000 });
    await expect(run).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("--record writes the committed baseline from a full run") });
    expect(readFileSync(BASELINE_FILE, "utf8")).toBe(before);
  }, 70_000);
});

describe("recording a baseline", () => {
  it("writes the report and, with it, the capacity figure infra reads from it", () => {
    const scratch = join(dir, "results.json");
    copyFileSync(BASELINE_FILE, scratch);
    const report = withNotesCpu(300, 400.2);
    expect(recordBaseline(report, scratch)).toEqual({ before: NOTES_CPU_US_PER_REQUEST, after: 410 });
    expect(readReport(scratch)).toEqual(report);
    // What infra's capacity model reads from the recorded file: the new figure, and its target.
    const figure = notesCpuUsPerRequestOf(readReport(scratch));
    expect(figure).toBe(410);
    expect(requestCountTargetPerMinute(256, figure)).toBe(Math.floor(((0.25 * 1_000_000) / 410) * 60 * 0.5));
    expect(requestCountTargetPerMinute(256, figure)).not.toBe(requestCountTargetPerMinute(256, NOTES_CPU_US_PER_REQUEST));
  });

  it("refuses a --quick report or one without a notes figure, leaving the baseline untouched", () => {
    const scratch = join(dir, "kept.json");
    copyFileSync(BASELINE_FILE, scratch);
    const before = readFileSync(scratch, "utf8");
    expect(() => recordBaseline(withNotesCpu(300, 400, true), scratch)).toThrow(/--quick/);
    const noFigure = withNotesCpu(300, 400);
    noFigure.scenarios = noFigure.scenarios.map((s) => (s.id === "notesList" ? { ...s, cpuUsPerRequest: null } : s));
    expect(() => recordBaseline(noFigure, scratch)).toThrow(/notesList has no cpuUsPerRequest/);
    expect(readFileSync(scratch, "utf8")).toBe(before);
  });

  it("into a place with no baseline yet, says there was none", () => {
    expect(recordBaseline(withNotesCpu(500, 501), join(dir, "new", "results.json"))).toEqual({ before: undefined, after: 510 });
  });
});

describe("comparing a run with the baseline", () => {
  it("prints each scenario's req/s and CPU per request against the baseline's, and what the run would make the capacity figure", () => {
    const base = committed();
    const list = base.scenarios.find((s) => s.id === "notesList")!;
    const run = withNotesCpu(list.cpuUsPerRequest! / 2, 300);
    const lines = compareWithBaseline(run, base);
    expect(lines[0]).toMatch(/^against the committed baseline \(bench\/results\.json/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        new RegExp(
          `^  ${list.label.replace(/[()]/g, "\\$&")}: ${list.reqPerSec} vs ${list.reqPerSec} req/s \\(\\+0%\\), CPU ${list.cpuUsPerRequest! / 2} vs ${list.cpuUsPerRequest} µs/req \\(-50%\\)$`,
        ),
      ),
    );
    expect(lines.length).toBe(base.scenarios.length + 2);
    expect(lines.at(-1)).toContain(
      `this run measured ${notesCpuUsPerRequestOf(run)} µs per notes request; the capacity model uses the baseline's ${NOTES_CPU_US_PER_REQUEST} µs`,
    );
    expect(lines.at(-1)).toContain("npm run bench -- --record");
  });

  it("a --quick run says it does not change the capacity figure; no readable baseline is said so", () => {
    expect(compareWithBaseline(withNotesCpu(1, 2, true), committed()).at(-1)).toBe(
      `capacity: a --quick run does not measure cost; the capacity model keeps ${NOTES_CPU_US_PER_REQUEST} µs per notes request`,
    );
    expect(compareWithBaseline(committed(), undefined)).toEqual(["no readable committed baseline (bench/results.json) to compare with"]);
  });
});
