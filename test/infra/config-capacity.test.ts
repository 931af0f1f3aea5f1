/**
 * One capacity model sets the stage throttle and the request-count scaling target: under the
 * throttle the target can be reached at minTasks, and the throttle admits no more than maxTasks
 * serve. An explicit throttle outside that range is refused, naming the key and the range.
 */
import { describe, expect, it } from "vitest";
import { capacityModel, requestCountTargetPerMinute, requestTargetReachable } from "../../infra/backend/capacity";
import { parseConfig } from "../../infra/config";
import { MAX_RATE } from "../../infra/config/capacity";
import { bareStackConfig, configIssuesOf } from "./mocks";

const bare = bareStackConfig;

const base = { protect: "false" } as const;

const issuesOf = configIssuesOf;

describe("the capacity model", () => {
  it("from the CPU per request and the task counts: the target per task, the least throttle that reaches it at minTasks, the most maxTasks serve", () => {
    // 250 µs a request: a 0.25 vCPU task serves 1000 req/s; the target is half of it, per minute.
    const m = capacityModel({ taskCpu: 256, minTasks: 2, maxTasks: 6 }, 250);
    expect(m.taskRequestsPerSecond).toBe(1000);
    expect(m.requestCountTargetPerMinute).toBe(30_000);
    // Two tasks at 30 000 requests a minute each: 1000 rps must get through the stage.
    expect(m.minThrottleRateLimit).toBe(1000);
    // Six tasks at full CPU.
    expect(m.maxThrottleRateLimit).toBe(6000);
    // Six tasks at the target: request-count scaling can act all the way to maxTasks.
    expect(m.defaultThrottleRateLimit).toBe(3000);
    expect(requestTargetReachable(5, m.requestCountTargetPerMinute, m.defaultThrottleRateLimit)).toBe(true);
    expect(requestTargetReachable(6, m.requestCountTargetPerMinute, m.defaultThrottleRateLimit)).toBe(true);
    expect(requestTargetReachable(7, m.requestCountTargetPerMinute, m.defaultThrottleRateLimit)).toBe(false);
  });

  it("rounds the least and the default throttle up, so the target stays reachable at their task counts", () => {
    // 880 µs, 256 units: 284.09 req/s a task, target 8522 a minute = 142.03 rps a task.
    const m = capacityModel({ taskCpu: 256, minTasks: 3, maxTasks: 3 }, 880);
    expect(m.requestCountTargetPerMinute).toBe(8522);
    expect(m.minThrottleRateLimit).toBe(427);
    expect(m.defaultThrottleRateLimit).toBe(427);
    expect(requestTargetReachable(3, m.requestCountTargetPerMinute, m.minThrottleRateLimit)).toBe(true);
    expect(requestTargetReachable(3, m.requestCountTargetPerMinute, m.minThrottleRateLimit - 1)).toBe(false);
    expect(m.maxThrottleRateLimit).toBe(852);
  });
});

describe("the stage throttle and the scaling target in stack config", () => {
  for (const stack of ["dev", "prod"]) {
    it(`Pulumi.${stack}.yaml: the request-count target is reachable under the stage throttle from minTasks up to maxTasks, which serve the throttle`, () => {
      const c = parseConfig(bare(stack), stack);
      const m = capacityModel(c);
      expect(c.requestCountTargetPerMinute).toBe(requestCountTargetPerMinute(c.taskCpu));
      for (let n = c.minTasks; n <= c.maxTasks; n++) {
        expect(
          requestTargetReachable(n, c.requestCountTargetPerMinute, c.throttleRateLimit),
          `${n} tasks × ${c.requestCountTargetPerMinute}/min vs ${c.throttleRateLimit} rps`,
        ).toBe(true);
      }
      expect(c.throttleRateLimit).toBeLessThanOrEqual(m.maxThrottleRateLimit);
      expect(c.throttleBurstLimit).toBeGreaterThanOrEqual(c.throttleRateLimit);
    });
  }

  it("refuses a throttle under which the request-count target cannot be reached at minTasks, naming the key and the range", () => {
    const tasks = { taskCpu: 512, minTasks: 2, maxTasks: 6 };
    const m = capacityModel(tasks);
    const raw = { ...base, taskCpu: "512", taskMemory: "1024", minTasks: "2", maxTasks: "6" };
    expect(parseConfig({ ...raw, throttleRateLimit: String(m.minThrottleRateLimit) }).throttleRateLimit).toBe(m.minThrottleRateLimit);
    const issues = issuesOf({ ...raw, throttleRateLimit: String(m.minThrottleRateLimit - 1) });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(
      new RegExp(
        `^user-aware-api:throttleRateLimit: "${m.minThrottleRateLimit - 1}" is not valid; allowed: a number from ${m.minThrottleRateLimit} to ${m.maxThrottleRateLimit}: `,
      ),
    );
    expect(issues[0]).toContain(`request-count target is ${m.requestCountTargetPerMinute} requests per task per minute`);
    expect(issues[0]).toContain("minTasks (2)");
  });

  it("refuses the old fixed throttles (dev 20, prod 200 rps) with the stacks' task counts", () => {
    expect(issuesOf({ ...bare("dev"), throttleRateLimit: "20", throttleBurstLimit: "40" })).toEqual([
      expect.stringMatching(/^user-aware-api:throttleRateLimit: "20" is not valid; allowed: a number from /),
    ]);
    expect(issuesOf({ ...bare("prod"), throttleRateLimit: "200", throttleBurstLimit: "400" })).toEqual([
      expect.stringMatching(/^user-aware-api:throttleRateLimit: "200" is not valid; allowed: a number from /),
    ]);
  });

  it("refuses a throttle above what maxTasks serve with their CPU fully used", () => {
    const m = capacityModel({ taskCpu: 256, minTasks: 1, maxTasks: 2 });
    const raw = { ...base, minTasks: "1", maxTasks: "2" };
    expect(parseConfig({ ...raw, throttleRateLimit: String(m.maxThrottleRateLimit), throttleBurstLimit: "5000" }).throttleRateLimit).toBe(
      m.maxThrottleRateLimit,
    );
    const issues = issuesOf({ ...raw, throttleRateLimit: String(m.maxThrottleRateLimit + 1), throttleBurstLimit: "5000" });
    expect(issues).toEqual([
      expect.stringContaining(
        `user-aware-api:throttleRateLimit: "${m.maxThrottleRateLimit + 1}" is not valid; allowed: a number from ${m.minThrottleRateLimit} to ${m.maxThrottleRateLimit}`,
      ),
    ]);
    expect(issues[0]).toContain("maxTasks (2)");
  });

  it("the default throttle follows the task counts: more tasks, a higher throttle; the target follows the task size", () => {
    const small = parseConfig({ ...base, minTasks: "1", maxTasks: "2" });
    const large = parseConfig({ ...base, minTasks: "1", maxTasks: "4" });
    expect(large.throttleRateLimit).toBeGreaterThan(small.throttleRateLimit);
    expect(small.throttleRateLimit).toBe(capacityModel({ taskCpu: 256, minTasks: 1, maxTasks: 2 }).defaultThrottleRateLimit);
    const bigger = parseConfig({ ...base, taskCpu: "1024", taskMemory: "2048" });
    expect(bigger.requestCountTargetPerMinute).toBe(requestCountTargetPerMinute(1024));
    expect(bigger.requestCountTargetPerMinute).toBeGreaterThan(small.requestCountTargetPerMinute);
  });

  it("refuses more minTasks than API Gateway's stage limit lets reach the target, naming minTasks", () => {
    const target = requestCountTargetPerMinute(4096);
    const tooMany = Math.floor((MAX_RATE * 60) / target) + 1;
    expect(tooMany).toBeLessThanOrEqual(100);
    const issues = issuesOf({ ...base, taskCpu: "4096", taskMemory: "8192", minTasks: String(tooMany), maxTasks: String(tooMany) });
    expect(issues).toEqual([
      expect.stringMatching(
        new RegExp(
          `^user-aware-api:minTasks: ${tooMany} tasks at the request-count target need \\d+ rps, above API Gateway's ${MAX_RATE} rps stage limit; allowed: at most ${tooMany - 1}`,
        ),
      ),
    ]);
  });

  it("checks the throttle against the model only once the task size and counts are valid", () => {
    const issues = issuesOf({ ...base, minTasks: "3", maxTasks: "2", throttleRateLimit: "1" });
    expect(issues).toEqual([expect.stringMatching(/^user-aware-api:maxTasks:/)]);
  });
});
