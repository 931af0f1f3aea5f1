/**
 * The local stack with the gateway sending the stage-prefixed form
 * (`/local/notes`, as AWS's private-integration docs describe API Gateway doing) passes the whole
 * auth-contract smoke suite, and the service says in its log that prefixed paths came — so the
 * smoke suite really ran through the prefix, not around it. local-stack.test.ts is the other mode.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOutputs } from "../../client/outputs";
import { runSmoke } from "../../client/smoke";
import { LOCAL_STAGE_NAME } from "../../local/settings";
import { pathFormsIn, startTestStack, type TestStack } from "./helpers";

describe("local stack e2e, stage-prefixed backend paths", () => {
  let test: TestStack | undefined;
  const serviceLines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    test = await startTestStack({ stagePrefix: true, logLevel: "info", onServiceLine: (l) => void serviceLines.push(l) });
  }, 45_000);

  afterAll(async () => {
    await test?.stop();
  });

  it("passes every check of the auth-contract smoke suite with the gateway sending /local/…", async () => {
    expect(test!.stack.stagePrefix).toBe(true);
    const results = await runSmoke(loadOutputs(test!.stack.outputsFile));
    const failed = results.filter((r) => !r.ok);
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    expect(results.length).toBeGreaterThanOrEqual(20);
    expect(results.filter((r) => r.skipped)).toEqual([]);
    // The service saw only the prefixed form, and said so once.
    expect(pathFormsIn(serviceLines)).toEqual(["stage-prefixed"]);
    const line = serviceLines.find((l) => l["msg"] === "backend path form");
    expect(line).toMatchObject({ level: "info", stageName: LOCAL_STAGE_NAME });
    // Its request lines name the routes: the prefixed paths were routed, not refused.
    const routesServed = new Set(serviceLines.filter((l) => l["msg"] === "request" && l["status"] === 200).map((l) => l["route"]));
    expect([...routesServed]).toEqual(expect.arrayContaining(["/me", "/notes", "/notes/:noteId"]));
  }, 30_000);
});
