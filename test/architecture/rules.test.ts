/**
 * `npm run lint` refuses a change that breaks the architecture (docs/architecture.md#checking-the-architecture):
 * the repository's own dependency-cruiser and knip configurations, run on a small scratch tree laid
 * out like the repository, pass it as is and fail it once it imports infra/ from service/, closes an
 * import loop in contract/, or exports something nobody uses.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = path.resolve(__dirname, "../..");
const DEPCRUISE = path.join(ROOT, "node_modules/dependency-cruiser/bin/dependency-cruiser.mjs");
const KNIP = path.join(ROOT, "node_modules/knip/bin/knip.js");

/** A repository in miniature: the contract below, a service and the Pulumi program on it. */
const CLEAN: Readonly<Record<string, string>> = {
  // dependency-cruiser listed, so knip knows its config file as the repository's own does.
  "package.json": JSON.stringify({ name: "scratch", private: true, main: "infra/index.ts", devDependencies: { "dependency-cruiser": "*" } }),
  "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, module: "commonjs", moduleResolution: "node10" } }),
  "contract/limits.ts": "export const limits = { max: 10 } as const;\n",
  "contract/schemas.ts": 'import { limits } from "./limits";\nexport const schema = { max: limits.max };\n',
  "contract/notes.ts": 'import type { schema } from "./schemas";\nexport type Note = typeof schema;\n',
  "service/src/server.ts":
    'import type { Note } from "../../contract/notes";\nimport { schema } from "../../contract/schemas";\nexport const note: Note = schema;\nconsole.log(note);\n',
  "infra/index.ts": 'import { limits } from "../contract/limits";\nconsole.log(limits);\n',
};

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function scratch(changes: Readonly<Record<string, string>> = {}): string {
  dir = mkdtempSync(path.join(tmpdir(), "uaa-architecture-"));
  for (const [file, text] of Object.entries({ ...CLEAN, ...changes })) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  copyFileSync(path.join(ROOT, ".dependency-cruiser.cjs"), path.join(dir, ".dependency-cruiser.cjs"));
  copyFileSync(path.join(ROOT, "knip.jsonc"), path.join(dir, "knip.jsonc"));
  return dir;
}

function run(script: string, args: readonly string[], cwd: string): { status: number | null; output: string } {
  const out = spawnSync(process.execPath, [script, ...args], { cwd, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" } });
  return { status: out.status, output: `${out.stdout}${out.stderr}` };
}

const depcruise = (cwd: string) => run(DEPCRUISE, ["--no-cache", "contract", "service", "infra"], cwd);
const knip = (cwd: string) => run(KNIP, ["--include", "files,exports,types", "--no-progress"], cwd);

describe("the architecture as lint rules", () => {
  it("dependency-cruiser passes the scratch tree as laid out, and fails it when service/ imports infra/", () => {
    const clean = depcruise(scratch());
    expect(clean.output).toContain("no dependency violations found");
    expect(clean.status).toBe(0);
    rmSync(dir!, { recursive: true, force: true });

    const broken = depcruise(scratch({ "service/src/server.ts": `${CLEAN["service/src/server.ts"]}import "../../infra/index";\n` }));
    expect(broken.output).toContain("service-stands-on-contract-only");
    expect(broken.status).not.toBe(0);
  });

  it("dependency-cruiser fails an import loop in contract/", () => {
    const broken = depcruise(
      scratch({ "contract/schemas.ts": `${CLEAN["contract/schemas.ts"]}import type { Note } from "./notes";\nexport type Same = Note;\n` }),
    );
    expect(broken.output).toContain("no-cycles");
    expect(broken.status).not.toBe(0);
  });

  it("knip passes the scratch tree as laid out, and fails it when a module exports something nobody uses", () => {
    const clean = knip(scratch());
    expect(clean.output).not.toContain("Unused");
    expect(clean.status).toBe(0);
    rmSync(dir!, { recursive: true, force: true });

    const broken = knip(scratch({ "contract/limits.ts": `${CLEAN["contract/limits.ts"]}export const forgotten = 1;\n` }));
    expect(broken.output).toMatch(/Unused exports[\s\S]*forgotten/);
    expect(broken.status).not.toBe(0);
  });
});
