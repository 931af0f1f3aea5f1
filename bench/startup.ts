import { startTarget } from "./processes";

export interface StartupResult {
  readonly runs: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly targetMs: number;
}

/** Spawn the service bundle `runs` times; time from spawn to the first `/health` 200. */
export async function measureStartup(script: string, env: Record<string, string>, runs: number, cgroupProcs?: string): Promise<StartupResult> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const target = await startTarget({ name: "startup", script, env, healthPath: "/health", cgroupProcs });
    times.push(target.readyMs);
    await target.stop();
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)] ?? 0;
  return { runs, medianMs: Math.round(median), minMs: Math.round(times[0] ?? 0), maxMs: Math.round(times[times.length - 1] ?? 0), targetMs: 300 };
}
