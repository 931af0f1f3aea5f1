/**
 * How many notes requests one Fargate task serves, from the CPU a request costs, and the
 * request-count target the autoscaler tracks. docs/performance.md ("Capacity") shows the figures.
 */

/**
 * The service's CPU per notes request, in µs: the larger of GET /notes and POST /notes in
 * `npm run bench` (bench/results.json, `cpuUsPerRequest` of scenarios notesList and notesCreate),
 * rounded up to 10 µs. test/infra/capacity.test.ts keeps it equal to the committed results: re-run
 * the bench, then update this figure (the test names the new value).
 */
export const NOTES_CPU_US_PER_REQUEST = 880;

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
