/**
 * The capacity model: how many notes requests one Fargate task serves, from the CPU a request
 * costs; the request-count target the autoscaler tracks per task; and, from the task counts, the
 * stage throttle range within which that target can be reached and the tasks can serve what the
 * stage lets through. docs/performance.md ("Capacity") shows the figures for dev and prod.
 */
import { BASELINE_NOTES_CPU_US_PER_REQUEST } from "./capacity-baseline";

/**
 * The service's CPU per notes request, in µs: the larger of GET /notes and POST /notes in the
 * committed bench baseline (bench/results.json, `npm run bench -- --record`), rounded up to 10 µs.
 */
export const NOTES_CPU_US_PER_REQUEST = BASELINE_NOTES_CPU_US_PER_REQUEST;

/** Fargate: 1024 CPU units are one vCPU. */
export const CPU_UNITS_PER_VCPU = 1024;

/** One Node process runs JavaScript on one thread: it cannot turn more than one vCPU into requests. */
export const MAX_VCPU_PER_PROCESS = 1;

/**
 * The share of the CPU-bound rate the autoscaler aims for. Below the CPU target (60%) because a
 * real request costs more than the bench's: TLS to DynamoDB and from the load balancer (the bench
 * speaks plain HTTP), a Fargate vCPU slower than the bench machine's core, and load arriving during
 * the minute or two before new tasks serve.
 */
export const REQUEST_TARGET_HEADROOM = 0.5;

/** Notes requests per second one task of `taskCpuUnits` serves with its CPU fully used. */
export function notesRequestsPerSecond(taskCpuUnits: number, cpuUsPerRequest: number = NOTES_CPU_US_PER_REQUEST): number {
  const vcpu = Math.min(taskCpuUnits / CPU_UNITS_PER_VCPU, MAX_VCPU_PER_PROCESS);
  return (vcpu * 1_000_000) / cpuUsPerRequest;
}

/**
 * The ALBRequestCountPerTarget target value: that metric counts requests per target per MINUTE
 * (a Sum over the metric's 1-minute period), so per-second capacity × 60, times the headroom.
 */
export function requestCountTargetPerMinute(taskCpuUnits: number, cpuUsPerRequest: number = NOTES_CPU_US_PER_REQUEST): number {
  return Math.floor(notesRequestsPerSecond(taskCpuUnits, cpuUsPerRequest) * 60 * REQUEST_TARGET_HEADROOM);
}

export interface TaskCounts {
  readonly taskCpu: number;
  readonly minTasks: number;
  readonly maxTasks: number;
}

/** What one task size and its task counts allow, per second unless named per minute. */
export interface CapacityModel {
  /** One task's notes requests per second with its CPU fully used. */
  readonly taskRequestsPerSecond: number;
  /** The autoscaler's ALBRequestCountPerTarget target: requests per task per minute. */
  readonly requestCountTargetPerMinute: number;
  /**
   * The least stage throttle (rps) under which the request-count target can be reached at
   * `minTasks`: the stage throttle caps the rate over all tasks, so with N tasks each sees at most
   * throttle × 60 / N requests a minute, and scaling out from N fires only if that reaches the
   * target — N × target / 60 ≤ throttle. At N = minTasks this is the least useful throttle.
   */
  readonly minThrottleRateLimit: number;
  /** The most `maxTasks` tasks serve with their CPU fully used: a higher throttle admits what no task can serve. */
  readonly maxThrottleRateLimit: number;
  /**
   * The default stage throttle: what `maxTasks` tasks serve each at the request-count target
   * (rounded up), so the target is reachable at every count from `minTasks` to `maxTasks` and
   * request-count scaling can act all the way up, while each task's CPU keeps the headroom.
   */
  readonly defaultThrottleRateLimit: number;
}

export function capacityModel(tasks: TaskCounts, cpuUsPerRequest: number = NOTES_CPU_US_PER_REQUEST): CapacityModel {
  const taskRequestsPerSecond = notesRequestsPerSecond(tasks.taskCpu, cpuUsPerRequest);
  const target = requestCountTargetPerMinute(tasks.taskCpu, cpuUsPerRequest);
  const minThrottleRateLimit = Math.ceil((tasks.minTasks * target) / 60);
  const maxThrottleRateLimit = Math.floor(tasks.maxTasks * taskRequestsPerSecond);
  return {
    taskRequestsPerSecond,
    requestCountTargetPerMinute: target,
    minThrottleRateLimit,
    maxThrottleRateLimit,
    defaultThrottleRateLimit: Math.ceil((tasks.maxTasks * target) / 60),
  };
}

/** Whether, with `tasks` tasks each at the target, the stage throttle lets the target be reached. */
export function requestTargetReachable(tasks: number, requestCountTargetPerMinute: number, throttleRateLimit: number): boolean {
  return (tasks * requestCountTargetPerMinute) / 60 <= throttleRateLimit;
}
