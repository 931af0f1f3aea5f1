/** How the bench prints its ratios: targets as met or NOT met, target-less (retired) ones as informational. */
import { describe, expect, it } from "vitest";
import { formatTable, ratio, type ScenarioResult } from "../../bench/report";

const scenario = (id: string, reqPerSec: number): ScenarioResult => ({
  id,
  label: id,
  reqPerSec,
  p50Ms: 1,
  p99Ms: 2,
  requests: reqPerSec * 10,
  non2xx: 0,
  errors: 0,
  rssMb: 50,
  peakRssMb: 60,
  cpuUsPerRequest: 30,
});

describe("bench report", () => {
  const results = [scenario("honoBare", 20_000), scenario("honoLogged", 11_000), scenario("meDecode", 11_200)];

  it("prints a ratio without a target (the retired decode / bare Hono one) as informational, never as NOT met", () => {
    const retired = ratio("decode / bare Hono (4/2)", results, "meDecode", "honoBare", 0);
    expect(retired).toMatchObject({ value: 0.56, target: 0, met: null });
    const table = formatTable(results, [retired]);
    expect(table).toContain("decode / bare Hono (4/2): 0.56 (informational)");
    expect(table).not.toContain("NOT met");
  });

  it("prints a ratio with a target as met or NOT met", () => {
    const met = ratio("decode / Hono + log line (4/2b)", results, "meDecode", "honoLogged", 0.9);
    const missed = ratio("decode / bare Hono at 0.85", results, "meDecode", "honoBare", 0.85);
    const table = formatTable(results, [met, missed]);
    expect(table).toContain("decode / Hono + log line (4/2b): 1.02 (target ≥ 0.9, met)");
    expect(table).toContain("decode / bare Hono at 0.85: 0.56 (target ≥ 0.85, NOT met)");
  });
});
