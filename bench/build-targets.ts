import { build } from "esbuild";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const BUILD_DIR = join(__dirname, ".build");

/** Bundle each target the way the service ships (one CommonJS file), so every peer runs as plain `node file.js`. */
export async function buildTargets(
  entries: Readonly<Record<string, string>>,
  /** Targets whose packages stay in node_modules (a native binding, say). */
  external: readonly string[] = [],
): Promise<Record<string, string>> {
  mkdirSync(BUILD_DIR, { recursive: true });
  const out: Record<string, string> = {};
  await Promise.all(
    Object.entries(entries).map(async ([name, entry]) => {
      const outfile = join(BUILD_DIR, `${name}.js`);
      await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: "node",
        target: "node20",
        format: "cjs",
        logLevel: "error",
        ...(external.includes(name) ? { packages: "external" as const } : {}),
      });
      out[name] = outfile;
    }),
  );
  return out;
}
