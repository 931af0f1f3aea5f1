/**
 * `npm run build`: the service as one CommonJS file, dist/server.js, with every dependency inside,
 * so the image needs no node_modules. Exported for the tests, which build into a temp dir.
 */
import { statSync } from "node:fs";
import * as path from "node:path";
import { build, type BuildOptions } from "esbuild";

const root = path.resolve(__dirname, "..");
export const SERVICE_ENTRY = path.join(root, "service/src/server.ts");
export const DEFAULT_OUTFILE = path.join(root, "dist/server.js");

/**
 * NODE_OPTIONS the image runs the bundle with (service/Dockerfile; a test keeps the two equal, and
 * the bench runs the bundle with them too, in a memory cgroup of a task's size: bench/task-memory.ts).
 * `--max-semi-space-size=6` (MB): in a 512 MB or 1 GB task V8 sizes the young generation small
 * and collects the old one early, so in-flight request state promoted out of a small young
 * generation costs major GCs. Measured on Node 24 in a 512 MB cgroup, 64 connections, against a
 * local DynamoDB stand-in: at 2 or 4 MB (or V8's default there) the notes path costs ~1 000–1 200 µs of CPU per
 * request at 112–118 MB peak RSS; from 5 MB on ~640–900 µs, at 122–126 MB with 6 MB; 8 MB crossed
 * the 128 MB target once, 16 MB saves no more CPU at ~141 MB (docs/performance.md has the table).
 *
 * Not `--enable-source-maps`: on Node 24 (the image's) it parses the bundle's map at start into
 * ~23 MB of heap (34 MB of RSS; 3 MB on Node 20) — a quarter of the notes path's memory budget, and
 * enough to break the bench's bounded-heap export run. The map still ships next to the bundle;
 * docs/runtime.md shows how to map a logged stack frame with it.
 */
export const RUNTIME_NODE_OPTIONS = "--max-semi-space-size=6";

export function serviceBuildOptions(outfile: string): BuildOptions {
  return {
    entryPoints: [SERVICE_ENTRY],
    outfile,
    bundle: true,
    platform: "node",
    // node20 syntax runs on the repo's Node 20 and the image's Node 24.
    target: "node20",
    format: "cjs",
    // Nothing external: pino starts worker threads only for transports, and we use none
    // (plain JSON to stdout), so it bundles; the bundle test runs the output to prove it.
    external: [],
    // Whitespace and syntax only: identifiers keep their names, so error classes (`err.type` in log
    // lines) and stack frames read as in the source. Not `keepNames`: it wraps every function
    // created at run time in a `__name()` call, 3% of /me's CPU in the profile.
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: false,
    // Shipped, not loaded: a logged stack frame maps back to TypeScript with it (docs/runtime.md).
    sourcemap: "linked",
    // Mappings only: the original sources are not needed to map a stack frame, and embedding them
    // makes the map 3× larger.
    sourcesContent: false,
    legalComments: "linked",
    logLevel: "warning",
    metafile: true,
  };
}

export interface BuildResult {
  readonly bytes: number;
  /** What the bundle still loads with require() at run time: must be Node built-ins only. */
  readonly externalImports: readonly string[];
}

export async function buildService(outfile: string = DEFAULT_OUTFILE): Promise<BuildResult> {
  const result = await build(serviceBuildOptions(outfile));
  if (result.errors.length > 0) throw new Error(`esbuild failed with ${result.errors.length} errors`);
  const externalImports = Object.values(result.metafile?.outputs ?? {})
    .flatMap((o) => o.imports)
    .filter((i) => i.external)
    .map((i) => i.path);
  return { bytes: statSync(outfile).size, externalImports: [...new Set(externalImports)].sort() };
}

// Run directly (`tsx service/build.ts`), not when a test imports this file.
if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === __filename) {
  const outfile = process.argv[2] ? path.resolve(process.argv[2]) : DEFAULT_OUTFILE;
  buildService(outfile).then(
    ({ bytes }) => process.stdout.write(`${path.relative(process.cwd(), outfile)}: ${(bytes / 1024).toFixed(0)} KiB\n`),
    (err: unknown) => {
      process.stderr.write(`build failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
