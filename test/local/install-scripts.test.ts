/**
 * `npm ci` is quiet. npm 11 warns about every dependency whose install
 * script `allowScripts` (package.json) does not decide; each is decided there, with the reason in
 * docs/local.md (Install). Read from package-lock.json, so it holds whatever npm runs the test.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const json = (file: string): unknown => JSON.parse(readFileSync(path.join(root, file), "utf8"));

interface LockEntry {
  readonly name?: string;
  readonly version?: string;
  readonly hasInstallScript?: boolean;
}

describe("install scripts", () => {
  const lock = json("package-lock.json") as { packages: Record<string, LockEntry> };
  const allowScripts = (json("package.json") as { allowScripts?: Record<string, boolean> }).allowScripts ?? {};
  // The identity npm matches: the real name, also for an alias (node_modules/docker-classic is @pulumi/docker).
  const withScripts = Object.entries(lock.packages)
    .filter(([, entry]) => entry.hasInstallScript)
    .map(([where, entry]) => entry.name ?? where.slice(where.lastIndexOf("node_modules/") + "node_modules/".length));

  it("every dependency with an install script is decided in allowScripts, and nothing else is listed", () => {
    expect(withScripts.length).toBeGreaterThan(0);
    expect([...new Set(withScripts)].sort()).toEqual(Object.keys(allowScripts).sort());
  });

  it("each decision has its reason in docs/local.md", () => {
    const docs = readFileSync(path.join(root, "docs/local.md"), "utf8");
    for (const name of Object.keys(allowScripts)) expect(docs, name).toContain(`\`${name}\``);
  });
});
