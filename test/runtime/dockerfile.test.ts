// No Docker engine here, so the image cannot be built in CI: these checks read service/Dockerfile
// and .dockerignore and hold them to the image's invariants (docs/runtime.md#build-and-image).
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { SERVICE_PORT } from "../../contract/service-env";
import { RUNTIME_NODE_OPTIONS, serviceBuildOptions } from "../../service/build";

const root = path.resolve(__dirname, "../..");
const dockerfile = readFileSync(path.join(root, "service/Dockerfile"), "utf8");
const dockerignore = readFileSync(path.join(root, ".dockerignore"), "utf8");

interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** Instructions with line continuations joined and comments dropped. */
const instructions: Instruction[] = dockerfile
  .replace(/\\\r?\n/g, " ")
  .split(/\r?\n/)
  .map((l) => l.trim())
  .filter((l) => l !== "" && !l.startsWith("#"))
  .map((l) => {
    const [op = "", ...rest] = l.split(/\s+/);
    return { op: op.toUpperCase(), args: rest.join(" ") };
  });

const stages: Instruction[][] = [];
for (const i of instructions) {
  if (i.op === "FROM") stages.push([]);
  stages.at(-1)?.push(i);
}
const runtime = stages.at(-1) ?? [];
const last = (stage: Instruction[], op: string) => stage.filter((i) => i.op === op).at(-1);

// Node LTS lines current in late 2026 (24 active, 22 maintenance).
const LTS_IMAGE = /^node:(24|22)(\.\d+)*-(slim|alpine|bookworm-slim|trixie-slim)(@sha256:[0-9a-f]{64})?( AS \w+)?$/i;

describe("service/Dockerfile", () => {
  it("runs node with the NODE_OPTIONS the bench measured (RUNTIME_NODE_OPTIONS)", () => {
    const env = runtime
      .filter((i) => i.op === "ENV")
      .map((i) => i.args)
      .join(" ");
    expect(/NODE_OPTIONS="([^"]*)"/.exec(env)?.[1]).toBe(RUNTIME_NODE_OPTIONS);
  });

  it("is multi-stage, every stage FROM a Node LTS slim image", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const from of instructions.filter((i) => i.op === "FROM")) expect(from.args).toMatch(LTS_IMAGE);
  });

  it("build stage installs from the lockfile and runs the bundle build", () => {
    const runs = stages
      .slice(0, -1)
      .flat()
      .filter((i) => i.op === "RUN")
      .map((i) => i.args);
    expect(runs.some((r) => /\bnpm ci\b/.test(r))).toBe(true);
    expect(runs.some((r) => /\bnpm run build\b/.test(r))).toBe(true);
  });

  it("runtime stage copies only the bundle from the build stage and installs nothing", () => {
    const copies = runtime.filter((i) => i.op === "COPY" || i.op === "ADD");
    expect(copies.length).toBeGreaterThan(0);
    for (const c of copies) expect(c.args).toMatch(/^--from=build\s+\/app\/dist\s+\.\/dist$/);
    expect(runtime.filter((i) => i.op === "RUN")).toEqual([]);
  });

  it("runs as the non-root node user", () => {
    const user = last(runtime, "USER");
    expect(user?.args).toBeDefined();
    expect(user?.args).not.toMatch(/^(root|0)(:|$)/);
    // USER comes before CMD, so the process is not root.
    expect(runtime.indexOf(user as Instruction)).toBeLessThan(runtime.indexOf(last(runtime, "CMD") as Instruction));
  });

  it('CMD is exec-form ["node", "dist/server.js"], so node gets SIGTERM directly', () => {
    const cmd = last(runtime, "CMD");
    expect(JSON.parse(cmd?.args ?? "null")).toEqual(["node", "dist/server.js"]);
    expect(last(runtime, "ENTRYPOINT")).toBeUndefined();
  });

  it("exposes the service port and the bundle targets a Node no newer than the image's", () => {
    expect(last(runtime, "EXPOSE")?.args).toBe(String(SERVICE_PORT));
    const target = String(serviceBuildOptions("x.js").target);
    const imageMajor = Number(/^node:(\d+)/.exec(last(runtime, "FROM")?.args ?? "")?.[1]);
    expect(Number(/^node(\d+)$/.exec(target)?.[1])).toBeLessThanOrEqual(imageMajor);
  });
});

describe(".dockerignore", () => {
  const lines = dockerignore
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));

  it("is an allowlist: everything excluded, then only the build inputs re-included", () => {
    expect(lines[0]).toBe("*");
    const included = lines.filter((l) => l.startsWith("!")).map((l) => l.slice(1));
    expect(included.sort()).toEqual(["contract", "package-lock.json", "package.json", "service", "tsconfig.json"]);
  });

  it("so secrets and host state never reach the builder", () => {
    for (const never of [".env", "tokens.json", ".data", ".cognito", "node_modules", ".git"]) {
      expect(lines.some((l) => l === `!${never}`)).toBe(false);
    }
  });
});
