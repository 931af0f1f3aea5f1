/**
 * infra/ keeps one folder per part with its pure data beside its component
 * (docs/architecture.md#parts-and-layers): at the top only the program's entry and the two parts that are
 * one file each; everything else lives in a part's folder.
 */
import { readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";

const INFRA = path.resolve(__dirname, "../../infra");
const TOP_LEVEL_FILES = ["data.ts", "identity.ts", "index.ts"];
const PART_FOLDERS = ["api", "backend", "config", "cost", "edge", "monitoring"];

describe("infra/ in rooms", () => {
  it("holds at its top only index.ts, identity.ts and data.ts, and a folder per part", () => {
    const entries = readdirSync(INFRA, { withFileTypes: true });
    expect(
      entries
        .filter((e) => e.isFile())
        .map((e) => e.name)
        .sort(),
    ).toEqual(TOP_LEVEL_FILES);
    expect(
      entries
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort(),
    ).toEqual(PART_FOLDERS);
  });
});
