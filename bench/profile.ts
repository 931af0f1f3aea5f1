import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load, type RequestSpec } from "./load";
import { startTarget } from "./processes";

export interface HotSpot {
  readonly function: string;
  readonly location: string;
  readonly selfPercent: number;
}

interface CpuProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

/** Each request under its own `node --cpu-prof` run (same load as the bench); its hottest functions by name. */
export async function profilePaths<K extends string>(
  script: string,
  env: Record<string, string>,
  requests: Record<K, RequestSpec>,
  cgroupProcs?: string,
): Promise<Record<K, HotSpot[]>> {
  const out = {} as Record<K, HotSpot[]>;
  for (const [name, request] of Object.entries(requests) as [K, RequestSpec][]) {
    process.stderr.write(`  profiling ${name}\n`);
    out[name] = await profileOne(script, env, request, cgroupProcs);
  }
  return out;
}

/** Run one request under `node --cpu-prof` for a few seconds and return the functions with the most self time. */
async function profileOne(script: string, env: Record<string, string>, request: RequestSpec, cgroupProcs: string | undefined): Promise<HotSpot[]> {
  const dir = mkdtempSync(join(tmpdir(), "uaa-prof-"));
  try {
    const target = await startTarget({ name: "profile", script, env, healthPath: "/health", nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${dir}`], cgroupProcs });
    await load(target.url, request, { durationS: 5, connections: 64, pipelining: 1 });
    await target.stop(); // the profile is written on a clean exit
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) throw new Error("no .cpuprofile written (did the service exit cleanly on SIGTERM?)");
    return hotSpots(JSON.parse(readFileSync(join(dir, file), "utf8")) as { nodes: CpuProfileNode[] }, moduleIndex(script));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Which source module each line of an esbuild bundle came from: a non-minified bundle marks every
 * module with a `// path/to/module.ts` comment line. Returns line number (1-based) → module.
 */
export function moduleIndex(bundlePath: string): (line: number) => string | undefined {
  const starts: { line: number; module: string }[] = [];
  readFileSync(bundlePath, "utf8")
    .split("\n")
    .forEach((text, i) => {
      const m = /^\/\/ ((?:node_modules\/)?[\w@./-]+\.(?:[cm]?[jt]s|json))$/.exec(text);
      if (m) starts.push({ line: i + 1, module: m[1] as string });
    });
  return (line) => {
    let found: string | undefined;
    for (const s of starts) {
      if (s.line > line) break;
      found = s.module;
    }
    return found;
  };
}

export function hotSpots(profile: { nodes: CpuProfileNode[] }, moduleOf: (line: number) => string | undefined = () => undefined, top = 15): HotSpot[] {
  const byFunction = new Map<string, { fn: string; location: string; hits: number }>();
  let total = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    total += hits;
    const { functionName, url, lineNumber } = node.callFrame;
    const bundled = url.endsWith("service-profile.js") ? moduleOf(lineNumber + 1) : undefined;
    const location = bundled ?? (url ? `${url.replace(/^.*\//, "")}:${lineNumber + 1}` : "(native)");
    const key = `${functionName}@${location}`;
    const entry = byFunction.get(key) ?? { fn: functionName || "(anonymous)", location, hits: 0 };
    entry.hits += hits;
    byFunction.set(key, entry);
  }
  return [...byFunction.values()]
    .sort((a, b) => b.hits - a.hits)
    .slice(0, top)
    .map((e) => ({ function: e.fn, location: e.location, selfPercent: Math.round((e.hits / Math.max(total, 1)) * 1000) / 10 }));
}
