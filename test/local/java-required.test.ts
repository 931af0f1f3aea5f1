/**
 * DynamoDB Local is a Java program: without `java` on PATH, `npm run dev` and `npm test`'s pretest
 * step print one line naming what to install and exit non-zero, before starting anything.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { javaMajorVersion } from "../../local/dynamodb/java";

const ROOT = resolve(__dirname, "../..");

/** `java -version` as real JDKs print it (on stderr), one per major version the check meets. */
const versionOutputs: [string, string, number][] = [
  [
    "Temurin 8",
    'openjdk version "1.8.0_402"\nOpenJDK Runtime Environment (Temurin)(build 1.8.0_402-b06)\nOpenJDK 64-Bit Server VM (Temurin)(build 25.402-b06, mixed mode)\n',
    8,
  ],
  [
    "Oracle 8",
    'java version "1.8.0_202"\nJava(TM) SE Runtime Environment (build 1.8.0_202-b08)\nJava HotSpot(TM) 64-Bit Server VM (build 25.202-b08, mixed mode)\n',
    8,
  ],
  [
    "Temurin 11",
    'openjdk version "11.0.22" 2024-01-16\nOpenJDK Runtime Environment Temurin-11.0.22+7 (build 11.0.22+7)\nOpenJDK 64-Bit Server VM Temurin-11.0.22+7 (build 11.0.22+7, mixed mode)\n',
    11,
  ],
  [
    "Debian 17",
    'openjdk version "17.0.15" 2025-04-15\nOpenJDK Runtime Environment (build 17.0.15+6-Debian-1deb12u1)\nOpenJDK 64-Bit Server VM (build 17.0.15+6-Debian-1deb12u1, mixed mode, sharing)\n',
    17,
  ],
  [
    "Temurin 21 LTS",
    'openjdk version "21.0.3" 2024-04-16 LTS\nOpenJDK Runtime Environment Temurin-21.0.3+9 (build 21.0.3+9-LTS)\nOpenJDK 64-Bit Server VM Temurin-21.0.3+9 (build 21.0.3+9-LTS, mixed mode, sharing)\n',
    21,
  ],
  // A first GA release has no minor version; JAVA_TOOL_OPTIONS makes the JVM print a line first.
  [
    "21 GA, after a JAVA_TOOL_OPTIONS line",
    'Picked up JAVA_TOOL_OPTIONS: -Xmx512m\nopenjdk version "21" 2023-09-19\nOpenJDK Runtime Environment (build 21+35-2513)\nOpenJDK 64-Bit Server VM (build 21+35-2513, mixed mode, sharing)\n',
    21,
  ],
];

describe("javaMajorVersion", () => {
  it.each(versionOutputs)("reads %s's java -version as Java %i", (_name, output, major) => {
    expect(javaMajorVersion(output)).toBe(major);
  });

  it("finds no version in output that is not java -version's", () => {
    expect(javaMajorVersion("bash: java: command not found")).toBeUndefined();
    expect(javaMajorVersion("")).toBeUndefined();
  });
});

describe("no java on PATH", () => {
  let bin: string;
  beforeAll(() => {
    // A PATH holding node and nothing else: no java, as on a machine without a JRE.
    bin = mkdtempSync(join(tmpdir(), "no-java-"));
    symlinkSync(process.execPath, join(bin, "node"));
  });
  afterAll(() => rmSync(bin, { recursive: true, force: true }));

  /** Runs `node <args>` in the repository with PATH = only node; resolves with its exit and output. */
  function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((done, fail) => {
      const { LOCAL_DYNAMODB_ENDPOINT: _ignored, ...env } = process.env;
      const child = spawn(join(bin, "node"), args, { cwd: ROOT, env: { ...env, PATH: bin }, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.on("error", fail);
      child.on("close", (code) => done({ code, stdout, stderr }));
    });
  }

  const expectOneLineNamingJava17 = (stderr: string): void => {
    const lines = stderr.split("\n").filter((line) => line !== "");
    expect(lines, stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/Java 17/);
    expect(lines[0]).toMatch(/install/);
  };

  it("npm run dev (node --import tsx local/dev.ts) prints one line naming Java 17 and exits non-zero, starting nothing", async () => {
    const { code, stdout, stderr } = await run(["--import", "tsx", "local/dev.ts"]);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expectOneLineNamingJava17(stderr);
    expect(stdout).toBe("");
  }, 60_000);

  it("npm test's pretest step (local/dynamodb/require-java-cli.ts) prints one line naming Java 17 and exits non-zero", async () => {
    // As package.json runs it: the tsx CLI (node_modules/.bin/tsx is this file).
    const { code, stderr } = await run([join(ROOT, "node_modules/tsx/dist/cli.mjs"), "local/dynamodb/require-java-cli.ts"]);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expectOneLineNamingJava17(stderr);
  }, 60_000);
});
