/**
 * Monitoring section of the stack config: where alarms are sent (`alarmEmail`, optional) and the
 * thresholds of the alarms in infra/monitoring/alarm-specs.ts, each with a default an operator would start
 * from and a key to tune it. `containerInsights` turns on ECS Container Insights (task counts on
 * the dashboard; billed as custom metrics, so off in dev).
 */
import * as z from "zod";
import type { ConfigReader } from "./reader";

export interface AlarmThresholds {
  /** API Gateway 5XX responses as a percentage of requests (per minute, with enough traffic). */
  readonly api5xxPercent: number;
  /** API Gateway p99 latency, milliseconds. */
  readonly apiP99LatencyMs: number;
  /** 5XX answers from the service's targets per minute. */
  readonly target5xxPerMinute: number;
  /** ECS service average CPU and memory utilisation, percent. */
  readonly cpuPercent: number;
  readonly memoryPercent: number;
  /** DynamoDB throttled requests and system errors per minute, summed over the service's operations. */
  readonly dynamoThrottlesPerMinute: number;
  readonly dynamoSystemErrorsPerMinute: number;
  /** 401 answers per minute (from the access log): a token attack or a broken app release. */
  readonly unauthorizedPerMinute: number;
}

export interface MonitoringConfig {
  /** Subscribed (by email, to confirm) to the alarm topic; unset = subscribe yourself. */
  readonly alarmEmail: string | undefined;
  readonly alarmThresholds: AlarmThresholds;
  readonly containerInsights: boolean;
}

/** API Gateway's integration timeout (29 s): a p99 above it cannot be measured. */
const MAX_LATENCY_MS = 29_000;
const emailSchema = z.email();

export function readMonitoringConfig(r: ConfigReader): MonitoringConfig {
  const alarmEmail = r.optionalString("alarmEmail", (v) => v.length <= 254 && emailSchema.safeParse(v).success, "an email address such as oncall@example.com");
  const alarmThresholds: AlarmThresholds = {
    api5xxPercent: r.number("alarmApi5xxPercent", 0.01, 100, 1),
    apiP99LatencyMs: r.int("alarmApiP99LatencyMs", 50, MAX_LATENCY_MS, 2000),
    target5xxPerMinute: r.int("alarmTarget5xxPerMinute", 1, 1_000_000, 5),
    cpuPercent: r.int("alarmCpuPercent", 1, 100, 85),
    memoryPercent: r.int("alarmMemoryPercent", 1, 100, 85),
    dynamoThrottlesPerMinute: r.int("alarmDynamoThrottlesPerMinute", 1, 1_000_000, 5),
    dynamoSystemErrorsPerMinute: r.int("alarmDynamoSystemErrorsPerMinute", 1, 1_000_000, 1),
    unauthorizedPerMinute: r.int("alarmUnauthorizedPerMinute", 1, 1_000_000, 60),
  };
  const containerInsights = r.bool("containerInsights", true);
  return { alarmEmail, alarmThresholds, containerInsights };
}
