import type { Result } from "autocannon";
import { round } from "./processes";

export interface ScenarioResult {
  readonly id: string;
  readonly label: string;
  readonly reqPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly rssMb: number | undefined;
  readonly peakRssMb: number | undefined;
  /** The target's CPU time per request in µs (its own process, load generator excluded). */
  readonly cpuUsPerRequest: number | null;
}

export function scenarioResult(id: string, label: string, r: Result, memory: { rssMb?: number; peakRssMb?: number }, cpuSecondsUsed: number): ScenarioResult {
  return {
    id,
    label,
    reqPerSec: round(r.requests.average, 0),
    p50Ms: r.latency.p50,
    p99Ms: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
    rssMb: memory.rssMb,
    peakRssMb: memory.peakRssMb,
    cpuUsPerRequest: Number.isFinite(cpuSecondsUsed) && r.requests.total > 0 ? round((cpuSecondsUsed * 1e6) / r.requests.total) : null,
  };
}

export interface Ratio {
  readonly name: string;
  readonly of: string;
  readonly to: string;
  /** What is compared: throughput (higher is better) or the target's CPU per request (lower is better). */
  readonly measure: "reqPerSec" | "cpuUsPerRequest";
  readonly value: number | null;
  /** What the product aims for (docs/performance.md): `value ≥ target` for req/s, `value ≤ target` for CPU; 0 = informational. */
  readonly target: number;
  readonly met: boolean | null;
}

/** `of`'s req/s over `to`'s: met when at least `target`. */
export function ratio(name: string, results: readonly ScenarioResult[], of: string, to: string, target: number): Ratio {
  const a = results.find((r) => r.id === of);
  const b = results.find((r) => r.id === to);
  const value = a && b && b.reqPerSec > 0 ? round(a.reqPerSec / b.reqPerSec, 2) : null;
  return { name, of, to, measure: "reqPerSec", value, target, met: value === null || target === 0 ? null : value >= target };
}

/** `of`'s CPU µs per request over `to`'s: met when at most `target` (the steadiest measure on a busy machine). */
export function cpuRatio(name: string, results: readonly ScenarioResult[], of: string, to: string, target: number): Ratio {
  const a = results.find((r) => r.id === of)?.cpuUsPerRequest;
  const b = results.find((r) => r.id === to)?.cpuUsPerRequest;
  const value = a != null && b != null && b > 0 ? round(a / b, 2) : null;
  return { name, of, to, measure: "cpuUsPerRequest", value, target, met: value === null || target === 0 ? null : value <= target };
}

export interface Limit {
  readonly name: string;
  readonly value: number | null;
  /** The most allowed. */
  readonly max: number;
  readonly met: boolean | null;
}

/** The highest peak RSS over `ids`, against `max` MB. */
export function peakRssLimit(name: string, results: readonly ScenarioResult[], ids: readonly string[], max: number): Limit {
  const peaks = results
    .filter((r) => ids.includes(r.id))
    .map((r) => r.peakRssMb ?? r.rssMb)
    .filter((v): v is number => v !== undefined);
  const value = peaks.length > 0 ? Math.max(...peaks) : null;
  return { name, value, max, met: value === null ? null : value < max };
}

export function formatTable(results: readonly ScenarioResult[], ratios: readonly Ratio[], limits: readonly Limit[] = []): string {
  const rows = [
    ["scenario", "req/s", "p50 ms", "p99 ms", "CPU µs/req", "non-2xx", "RSS MB", "peak RSS MB"],
    ...results.map((r) => [
      r.label,
      String(r.reqPerSec),
      String(r.p50Ms),
      String(r.p99Ms),
      String(r.cpuUsPerRequest ?? "-"),
      String(r.non2xx),
      String(r.rssMb ?? "-"),
      String(r.peakRssMb ?? "-"),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  const table = [line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)];
  const verdict = (met: boolean | null) => (met === null ? "" : met ? ", met" : ", NOT met");
  const ratioLines = ratios.map((r) =>
    r.target === 0
      ? `${r.name}: ${r.value ?? "n/a"} (informational)`
      : `${r.name}: ${r.value ?? "n/a"} (target ${r.measure === "reqPerSec" ? "≥" : "≤"} ${r.target}${verdict(r.met)})`,
  );
  const limitLines = limits.map((l) => `${l.name}: ${l.value ?? "n/a"} (limit < ${l.max}${verdict(l.met)})`);
  return [...table, "", ...ratioLines, ...limitLines].join("\n");
}
