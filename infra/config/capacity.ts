/**
 * The stage throttle and the autoscaler's request-count target, from one capacity model
 * (infra/backend/capacity.ts): both follow from the task size and counts, so each can act. An explicit
 * throttle is refused when the request-count target could not be reached under it at `minTasks`,
 * or when `maxTasks` tasks could not serve it.
 */
import { capacityModel, type TaskCounts } from "../backend/capacity";
import type { ConfigReader } from "./reader";

export interface CapacityConfig {
  /** Stage-wide throttling (requests per second, and burst). */
  readonly throttleRateLimit: number;
  readonly throttleBurstLimit: number;
  /** The ALBRequestCountPerTarget target: requests per task per minute (not a key: derived). */
  readonly requestCountTargetPerMinute: number;
}

/** API Gateway's default account-level limits, the most a stage can be given. */
export const MAX_RATE = 10_000;
export const MAX_BURST = 5_000;

/**
 * `tasksValid`: `tasks` is a Fargate CPU value with 1 ≤ minTasks ≤ maxTasks. When it is not, that
 * is the error reported, and the throttle is checked only against API Gateway's limits.
 */
export function readCapacityConfig(r: ConfigReader, tasks: TaskCounts, tasksValid: boolean): CapacityConfig {
  const model = capacityModel(tasksValid ? tasks : { taskCpu: 256, minTasks: 1, maxTasks: 1 });
  const target = model.requestCountTargetPerMinute;
  const lowest = Math.max(1, model.minThrottleRateLimit);
  const highest = Math.min(MAX_RATE, model.maxThrottleRateLimit);
  const why =
    `with taskCpu ${tasks.taskCpu} the request-count target is ${target} requests per task per minute, ` +
    `so at minTasks (${tasks.minTasks}) scaling on requests needs at least ${model.minThrottleRateLimit} rps, ` +
    `and maxTasks (${tasks.maxTasks}) serve at most ${model.maxThrottleRateLimit} rps (docs/performance.md "Capacity")`;
  if (tasksValid && lowest > MAX_RATE) {
    r.problem(
      "minTasks",
      `${tasks.minTasks} tasks at the request-count target need ${model.minThrottleRateLimit} rps, above API Gateway's ${MAX_RATE} rps stage limit; allowed: at most ${Math.floor((MAX_RATE * 60) / target)} for taskCpu ${tasks.taskCpu}`,
    );
  }
  const dflt = Math.min(MAX_RATE, model.defaultThrottleRateLimit);
  const raw = r.value("throttleRateLimit");
  let throttleRateLimit = r.number("throttleRateLimit", 1, MAX_RATE, dflt);
  let rateKnown = raw === undefined || throttleRateLimit !== dflt || Number(raw) === dflt;
  if (tasksValid && raw !== undefined && rateKnown && (throttleRateLimit < lowest || throttleRateLimit > highest)) {
    r.fail("throttleRateLimit", raw, `a number from ${lowest} to ${highest}: ${why}`);
    throttleRateLimit = dflt;
    rateKnown = false;
  }
  // A bucket of at least one second at the rate; API Gateway's burst stops at 5000 while the rate goes to 10 000.
  const leastBurst = Math.min(MAX_BURST, Math.ceil(throttleRateLimit));
  const throttleBurstLimit = r.int("throttleBurstLimit", 1, MAX_BURST, Math.max(100, leastBurst));
  // Against a rate that was itself refused, the comparison would say nothing.
  if (rateKnown && throttleBurstLimit < leastBurst) {
    const from = leastBurst < throttleRateLimit ? `${MAX_BURST}` : `throttleRateLimit (${throttleRateLimit})`;
    r.fail("throttleBurstLimit", r.value("throttleBurstLimit") ?? throttleBurstLimit, `an integer from ${from} to ${MAX_BURST}`);
  }
  return { throttleRateLimit, throttleBurstLimit, requestCountTargetPerMinute: target };
}
