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

export function scenarioResult(
  id: string,
  label: string,
  r: Result,
  memory: { rssMb?: number; peakRssMb?: number },
  cpuSecondsUsed: number,
): ScenarioResult {
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
  readonly value: number | null;
  /** What the product aims for (issue 7); `met` says whether this run reached it. */
  readonly target: number;
  readonly met: boolean | null;
}

export function ratio(name: string, results: readonly ScenarioResult[], of: string, to: string, target: number): Ratio {
  const a = results.find((r) => r.id === of);
  const b = results.find((r) => r.id === to);
  const value = a && b && b.reqPerSec > 0 ? round(a.reqPerSec / b.reqPerSec, 2) : null;
  return { name, of, to, value, target, met: value === null ? null : value >= target };
}

export function formatTable(results: readonly ScenarioResult[], ratios: readonly Ratio[]): string {
  const rows = [
    ["scenario", "req/s", "p50 ms", "p99 ms", "CPU µs/req", "non-2xx", "RSS MB", "peak RSS MB"],
    ...results.map((r) => [
      r.label, String(r.reqPerSec), String(r.p50Ms), String(r.p99Ms), String(r.cpuUsPerRequest ?? "-"),
      String(r.non2xx), String(r.rssMb ?? "-"), String(r.peakRssMb ?? "-"),
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) => `| ${row.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  const table = [line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)];
  const ratioLines = ratios.map(
    (r) => `${r.name}: ${r.value ?? "n/a"} (target ≥ ${r.target}${r.met === null ? "" : r.met ? ", met" : ", NOT met"})`,
  );
  return [...table, "", ...ratioLines].join("\n");
}
