/**
 * The measured CPU per notes request the capacity model starts from, read from the committed bench
 * baseline (bench/results.json, written only by `npm run bench -- --record`). Read, not copied into
 * a constant: recording a baseline is then the whole change, with nothing else to keep in sync.
 * This module reads the data file only; infra/ imports no bench/ code.
 */
import * as z from "zod";
import committedBaseline from "../../bench/results.json";

/** The scenarios whose CPU per request a notes request costs: GET /notes and POST /notes. */
export const NOTES_SCENARIOS = ["notesList", "notesCreate"] as const;

/** The part of a bench report the capacity model reads. */
const benchBaseline = z.object({
  date: z.string(),
  options: z.object({ quick: z.boolean() }),
  scenarios: z.array(z.object({ id: z.string(), cpuUsPerRequest: z.number().positive().nullable() })),
});

/** A bench report that cannot be a capacity baseline, and why. */
export class BaselineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "BaselineError";
  }
}

/**
 * The CPU per notes request (µs) a bench report measured: the larger of GET and POST /notes,
 * rounded up to 10 µs (the measurement's noise is well above that). Throws `BaselineError` for a
 * `--quick` report (1 s windows measure that the scenarios run, not their cost) or one without
 * both notes scenarios' CPU figures.
 */
export function notesCpuUsPerRequestOf(report: unknown): number {
  const parsed = benchBaseline.safeParse(report);
  if (!parsed.success) throw new BaselineError(`not a bench report: ${z.prettifyError(parsed.error)}`);
  if (parsed.data.options.quick) throw new BaselineError("a --quick run measures that the scenarios run, not their cost: record a full run");
  const figures = NOTES_SCENARIOS.map((id) => {
    const value = parsed.data.scenarios.find((s) => s.id === id)?.cpuUsPerRequest;
    if (value === undefined || value === null) throw new BaselineError(`scenario ${id} has no cpuUsPerRequest`);
    return value;
  });
  return Math.ceil(Math.max(...figures) / 10) * 10;
}

/** The committed baseline's CPU per notes request, µs (bench/results.json). */
export const BASELINE_NOTES_CPU_US_PER_REQUEST: number = notesCpuUsPerRequestOf(committedBaseline);
