/** The program validates its config at start: a bad value stops it with the key named. */
import { expect, it } from "vitest";
import { readStackConfig, recorded, setupMocks } from "./mocks";

it("refuses to start with taskMemory 300 and an unknown authMode, naming both keys, before creating anything", async () => {
  await setupMocks("dev", { ...readStackConfig("dev"), "user-aware-api:taskMemory": "300", "user-aware-api:authMode": "trust-me" });
  const load = import("../../infra/index");
  await expect(load).rejects.toThrow(/user-aware-api:taskMemory: "300" is not valid; allowed: for taskCpu 256: 512 \| 1024 \| 2048/);
  await expect(load).rejects.toThrow(/user-aware-api:authMode: "trust-me" is not valid; allowed: decode \| verify/);
  await new Promise((r) => setTimeout(r, 50));
  expect(recorded).toEqual([]);
});
