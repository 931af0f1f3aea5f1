/**
 * Where a bench run's results go, and the committed baseline. A plain run (also `--quick`,
 * `--profile`) writes to bench/.results/ (git-ignored) and is compared with the baseline; only
 * `--record` rewrites the committed bench/results.json — from which infra/backend/capacity.ts reads the
 * CPU per notes request, so recording is the whole change to the capacity figures.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { notesCpuUsPerRequestOf } from "../infra/backend/capacity-baseline";

/** The committed baseline: what infra's capacity model is derived from. */
export const BASELINE_FILE = join(__dirname, "results.json");
/** A plain run's results: on this machine only, git-ignored. */
export const LATEST_FILE = join(__dirname, ".results", "latest.json");

export interface OutputChoice {
  readonly file: string;
  readonly record: boolean;
}

/**
 * Where this run writes: `--record` → the baseline, `--out <file>` → that file, else LATEST_FILE.
 * Throws for `--record` with `--quick`, `--duration` or `--out`: a baseline is a full run, written
 * where infra reads it.
 */
export function outputFor(args: readonly string[]): OutputChoice {
  const record = args.includes("--record");
  const outAt = args.indexOf("--out");
  const out = outAt >= 0 ? args[outAt + 1] : undefined;
  if (outAt >= 0 && (out === undefined || out.startsWith("--"))) throw new Error("--out needs a file");
  if (record) {
    const conflicting = ["--quick", "--duration", "--out"].filter((flag) => args.includes(flag));
    if (conflicting.length > 0) throw new Error(`--record writes the committed baseline from a full run: drop ${conflicting.join(", ")}`);
    return { file: BASELINE_FILE, record: true };
  }
  return { file: out ?? LATEST_FILE, record: false };
}

/** Writes a report as JSON, creating its directory. */
export function writeReport(file: string, report: unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
}

/** The report in `file`, or undefined when there is none or it is not JSON. */
export function readReport(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as unknown;
  } catch {
    return undefined;
  }
}

export interface Recorded {
  /** The CPU per notes request (µs) the previous baseline gave the capacity model; undefined if none was readable. */
  readonly before: number | undefined;
  readonly after: number;
}

/**
 * Records `report` as the baseline in `file`: checked first (a full run with both notes figures,
 * as infra reads it), so a report infra could not read never replaces the baseline.
 */
export function recordBaseline(report: unknown, file: string = BASELINE_FILE): Recorded {
  const after = notesCpuUsPerRequestOf(report);
  const previous = readReport(file);
  let before: number | undefined;
  try {
    before = previous === undefined ? undefined : notesCpuUsPerRequestOf(previous);
  } catch {
    before = undefined;
  }
  writeReport(file, report);
  return { before, after };
}

interface ScenarioFigures {
  readonly id: string;
  readonly label: string;
  readonly reqPerSec: number;
  readonly cpuUsPerRequest: number | null;
}

interface ComparableReport {
  readonly date?: string;
  readonly machine?: { readonly cpu?: string; readonly cores?: number; readonly node?: string };
  readonly options?: { readonly quick?: boolean };
  readonly scenarios: readonly ScenarioFigures[];
}

function isComparable(report: unknown): report is ComparableReport {
  return typeof report === "object" && report !== null && Array.isArray((report as { scenarios?: unknown }).scenarios);
}

const change = (now: number, then: number): string => {
  const pct = Math.round(((now - then) / then) * 100);
  return `${pct >= 0 ? "+" : ""}${pct}%`;
};

/**
 * Lines comparing this run with the baseline, per scenario (req/s and CPU µs/req, both with their
 * change) and for the capacity figure: what this run would make it, and how to record it.
 */
export function compareWithBaseline(report: unknown, baseline: unknown): string[] {
  if (!isComparable(report)) return [];
  if (!isComparable(baseline)) return ["no readable committed baseline (bench/results.json) to compare with"];
  const machine = (r: ComparableReport) => `${r.machine?.cpu ?? "?"}, ${r.machine?.cores ?? "?"} cores, Node ${r.machine?.node ?? "?"}`;
  const lines = [`against the committed baseline (bench/results.json, ${baseline.date ?? "undated"}, ${machine(baseline)}; this run: ${machine(report)}):`];
  for (const s of report.scenarios) {
    const b = baseline.scenarios.find((x) => x.id === s.id);
    if (!b) {
      lines.push(`  ${s.label}: not in the baseline`);
      continue;
    }
    const cpu =
      s.cpuUsPerRequest !== null && b.cpuUsPerRequest !== null
        ? `CPU ${s.cpuUsPerRequest} vs ${b.cpuUsPerRequest} µs/req (${change(s.cpuUsPerRequest, b.cpuUsPerRequest)})`
        : "CPU n/a";
    const rate = b.reqPerSec > 0 ? `${s.reqPerSec} vs ${b.reqPerSec} req/s (${change(s.reqPerSec, b.reqPerSec)})` : `${s.reqPerSec} req/s`;
    lines.push(`  ${s.label}: ${rate}, ${cpu}`);
  }
  let committed: number | undefined;
  try {
    committed = notesCpuUsPerRequestOf(baseline);
  } catch {
    committed = undefined;
  }
  if (report.options?.quick) {
    lines.push(`capacity: a --quick run does not measure cost; the capacity model keeps ${committed ?? "?"} µs per notes request`);
  } else {
    let measured: number | undefined;
    try {
      measured = notesCpuUsPerRequestOf(report);
    } catch {
      measured = undefined;
    }
    lines.push(
      `capacity: this run measured ${measured ?? "?"} µs per notes request; the capacity model uses the baseline's ${committed ?? "?"} µs ` +
        "(to make this run the baseline: npm run bench -- --record, on the machine and Node of docs/performance.md)",
    );
  }
  return lines;
}
