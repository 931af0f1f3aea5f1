/**
 * The whole request path offline: cognito-local, dynalite, the service and the local gateway on
 * free ports; the auth-contract smoke suite must pass every check; then nothing is left running.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOutputs } from "../../client/outputs";
import { runSmoke } from "../../client/smoke";
import { connectsTo, otherLocalAddresses, reachableOn } from "../helpers/listen-address";
import { isAlive, pathFormsIn, startTestStack, type TestStack } from "./helpers";

describe("local stack e2e", () => {
  let test: TestStack | undefined;
  const serviceLines: Record<string, unknown>[] = [];

  beforeAll(async () => {
    // info: the service's "backend path form" line is what shows which form it received.
    test = await startTestStack({ logLevel: "info", onServiceLine: (l) => void serviceLines.push(l) });
  }, 45_000);

  afterAll(async () => {
    await test?.stop();
  });

  it("writes outputs shaped like `pulumi stack output --json` (+ cognitoEndpoint, serviceUrl)", () => {
    const stack = test!.stack;
    const outputs = loadOutputs(stack.outputsFile);
    expect(Object.keys(outputs).sort()).toEqual(["apiUrl", "cognitoEndpoint", "issuer", "region", "serviceUrl", "tableName", "userPoolClientId", "userPoolId"]);
    expect(outputs.issuer).toBe(`http://localhost:${stack.ports.cognito}/${outputs.userPoolId}`);
  });

  it("passes every check of the auth-contract smoke suite", async () => {
    const results = await runSmoke(loadOutputs(test!.stack.outputsFile));
    const failed = results.filter((r) => !r.ok);
    expect(failed, JSON.stringify(failed, null, 2)).toEqual([]);
    // Every check ran, including the local-only proofs (nothing "not run").
    expect(results.length).toBeGreaterThanOrEqual(20);
    expect(results.filter((r) => r.note)).toEqual([]);
    expect(results.filter((r) => r.skipped)).toEqual([]);
    // The default mode: the gateway sends paths unprefixed (stage-prefix.test.ts runs the other).
    expect(test!.stack.stagePrefix).toBe(false);
    expect(pathFormsIn(serviceLines)).toEqual(["unprefixed"]);
  }, 30_000);

  it("the service listens on 127.0.0.1 only: reached through the gateway, not from the network", async () => {
    const port = test!.stack.ports.service;
    expect(await connectsTo("127.0.0.1", port)).toBe(true);
    expect(await reachableOn(otherLocalAddresses(), port)).toEqual([]);
  });

  it("stops every child: no process left behind", async () => {
    const { pids } = test!.stack;
    expect(isAlive(pids.cognito)).toBe(true);
    expect(isAlive(pids.service)).toBe(true);
    const started = Date.now();
    await test!.stop();
    test = undefined;
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(isAlive(pids.cognito)).toBe(false);
    expect(isAlive(pids.service)).toBe(false);
    expect(() => process.kill(pids.service, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
    expect(() => process.kill(pids.cognito, 0)).toThrow(expect.objectContaining({ code: "ESRCH" }));
  });
});
