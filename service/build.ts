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
 * the bench runs the bundle with them too). `--max-semi-space-size=2` (MB): V8's default young
 * generation grew the process to ~120 MB RSS under load; at 2 MB it stays near 90 MB with the
 * same throughput (measured with the bench's /me scenario).
 */
export const RUNTIME_NODE_OPTIONS = "--enable-source-maps --max-semi-space-size=2";

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
    // Stack traces map back to TypeScript with NODE_OPTIONS=--enable-source-maps (the image sets it).
    sourcemap: "linked",
    // Mappings only: the original sources are not needed to map a stack trace, and embedding them
    // made the map (parsed into memory at start with --enable-source-maps) 3× larger: ~5 MB of RSS.
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
