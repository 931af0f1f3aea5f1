/**
 * Node ≥ 22 is required (Node 20 is past end of life), CI runs the suite on
 * the image's Node 24 (.ci/run), and whatever Node runs the suite also runs the processes the
 * tests start — through process.execPath or through PATH (`node`, and `npm`, a node script).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const read = (file: string): string => readFileSync(path.join(root, file), "utf8");
const major = (version: string): number => Number(version.replace(/^v/, "").split(".")[0]);

describe("Node version", () => {
  it("engines.node is >=22; CI's Node (.ci/run) is the image's (service/Dockerfile) and satisfies it", () => {
    const engines = (JSON.parse(read("package.json")) as { engines: { node: string } }).engines.node;
    expect(engines).toBe(">=22");
    const ciMajor = Number(/^CI_NODE_MAJOR=(\d+)$/m.exec(read(".ci/run"))?.[1]);
    const imageMajors = [...read("service/Dockerfile").matchAll(/^FROM node:(\d+)/gm)].map((m) => Number(m[1]));
    expect(imageMajors.length).toBeGreaterThan(0);
    for (const image of imageMajors) expect(image).toBe(ciMajor);
    expect(ciMajor).toBeGreaterThanOrEqual(22);
  });

  it("the suite's child processes run on the suite's Node (in CI: the major .ci/run chose)", () => {
    console.log(`node ${process.version} (${process.execPath})`);
    // What `npm run dev` / `npm run cost` in the tests, and npx, start with (#!/usr/bin/env node).
    const onPath = execFileSync("node", ["-p", "process.version"], { encoding: "utf8" }).trim();
    expect(onPath).toBe(process.version);
    const ciMajor = process.env.UAA_CI_NODE_MAJOR;
    if (ciMajor !== undefined) expect(major(process.version)).toBe(Number(ciMajor));
  });
});
