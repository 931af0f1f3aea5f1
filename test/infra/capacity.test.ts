/**
 * The autoscaler's request-count target is derived from the measured CPU per notes
 * request — in the right units (ALBRequestCountPerTarget is requests per target per minute) — and
 * the figure it is derived from is the one the committed bench measured.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  NOTES_CPU_US_PER_REQUEST,
  notesRequestsPerSecond,
  REQUEST_TARGET_HEADROOM,
  requestCountTargetPerMinute,
} from "../../infra/capacity";

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

  it("the CPU per request it is derived from is the committed bench's (bench/results.json), rounded up to 10 µs", () => {
    const results = JSON.parse(readFileSync(join(__dirname, "../../bench/results.json"), "utf8")) as {
      options: { quick: boolean };
      scenarios: { id: string; cpuUsPerRequest: number | null }[];
    };
    expect(results.options.quick, "bench/results.json must come from a full run, not --quick").toBe(false);
    const notes = results.scenarios.filter((s) => s.id === "notesList" || s.id === "notesCreate").map((s) => s.cpuUsPerRequest);
    expect(notes).toHaveLength(2);
    const measured = Math.ceil(Math.max(...notes.map((v) => v ?? Number.NaN)) / 10) * 10;
    expect(NOTES_CPU_US_PER_REQUEST, `bench/results.json measured ${measured} µs: set NOTES_CPU_US_PER_REQUEST (infra/capacity.ts) to it`).toBe(measured);
  });
});
