/**
 * The capacity model's per-task figures: the request-count target derived from the measured CPU
 * per notes request, in the right units (ALBRequestCountPerTarget is requests per target per
 * minute), and that figure read from the committed bench baseline rather than copied.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { NOTES_CPU_US_PER_REQUEST, notesRequestsPerSecond, REQUEST_TARGET_HEADROOM, requestCountTargetPerMinute } from "../../infra/backend/capacity";
import { BaselineError, notesCpuUsPerRequestOf } from "../../infra/backend/capacity-baseline";

/** A bench report as `npm run bench` writes it, reduced to what the capacity model reads. */
function report(notesList: number | null, notesCreate: number | null, quick = false): unknown {
  return {
    date: "2026-12-01T00:00:00.000Z",
    options: { durationS: quick ? 1 : 10, connections: 64, pipelining: 1, warmupS: 2, quick },
    scenarios: [
      { id: "meDecode", cpuUsPerRequest: 90 },
      { id: "notesList", cpuUsPerRequest: notesList },
      { id: "notesCreate", cpuUsPerRequest: notesCreate },
    ],
  };
}

describe("capacity per task and the request-count target", () => {
  it("a task's CPU units over the CPU per request is its requests per second; the target is per minute, with headroom", () => {
    // 256 units = 0.25 vCPU = 250 000 µs of CPU per second; at 250 µs a request that is 1000 req/s.
    expect(notesRequestsPerSecond(256, 250)).toBe(1000);
    expect(notesRequestsPerSecond(512, 250)).toBe(2000);
    // Per minute (× 60), aiming at the headroom share of it.
    expect(requestCountTargetPerMinute(256, 250)).toBe(Math.floor(1000 * 60 * REQUEST_TARGET_HEADROOM));
    expect(requestCountTargetPerMinute(512, 250)).toBe(2 * requestCountTargetPerMinute(256, 250));
    // One Node process turns at most one vCPU into requests: 2 and 4 vCPU tasks do not serve more.
    expect(notesRequestsPerSecond(2048, 250)).toBe(notesRequestsPerSecond(1024, 250));
    expect(notesRequestsPerSecond(4096, 250)).toBe(4000);
  });
});

describe("the CPU per notes request, read from a bench report", () => {
  it("is the larger of GET and POST /notes, rounded up to 10 µs", () => {
    expect(notesCpuUsPerRequestOf(report(773, 879.8))).toBe(880);
    expect(notesCpuUsPerRequestOf(report(410, 402.1))).toBe(410);
    expect(notesCpuUsPerRequestOf(report(400.01, 300))).toBe(410);
  });

  it("refuses a --quick report, a report without a notes scenario's figure, and what is not a report", () => {
    expect(() => notesCpuUsPerRequestOf(report(773, 879.8, true))).toThrow(BaselineError);
    expect(() => notesCpuUsPerRequestOf(report(773, 879.8, true))).toThrow(/--quick/);
    expect(() => notesCpuUsPerRequestOf(report(773, null))).toThrow(/notesCreate has no cpuUsPerRequest/);
    const withoutList = { ...(report(773, 880) as { scenarios: { id: string }[] }) };
    withoutList.scenarios = withoutList.scenarios.filter((s) => s.id !== "notesList");
    expect(() => notesCpuUsPerRequestOf(withoutList)).toThrow(/notesList has no cpuUsPerRequest/);
    expect(() => notesCpuUsPerRequestOf({ scenarios: "none" })).toThrow(/not a bench report/);
  });

  it("infra's figure is the committed baseline's (bench/results.json, a full run), not a copy of it", () => {
    const committed = JSON.parse(readFileSync(join(__dirname, "../../bench/results.json"), "utf8")) as { options: { quick: boolean } };
    expect(committed.options.quick, "the committed baseline must come from a full run (npm run bench -- --record)").toBe(false);
    expect(NOTES_CPU_US_PER_REQUEST).toBe(notesCpuUsPerRequestOf(committed));
  });
});
