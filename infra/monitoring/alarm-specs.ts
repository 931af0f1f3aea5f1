/**
 * The alarm table: one entry per alarm, built from this stack's own resources (their names and
 * ARN suffixes are the metrics' dimensions). infra/monitoring/monitoring.ts turns each entry into a
 * CloudWatch alarm and a dashboard graph; docs/operations.md has a runbook section per `id`
 * (a test checks both ways). Generic over the dimension value type: `pulumi.Input<string>` for the
 * alarms, plain strings for the dashboard body (resolved once).
 */
import type { AlarmThresholds } from "../config/monitoring";

/** Every alarm id; each is also the anchor of its runbook entry in docs/operations.md. */
export const ALARM_IDS = [
  "api-5xx-rate",
  "api-p99-latency",
  "alb-unhealthy-hosts",
  "alb-healthy-hosts-low",
  "target-5xx",
  "ecs-cpu-high",
  "ecs-memory-high",
  "dynamodb-throttles",
  "dynamodb-system-errors",
  "unauthorized-burst",
] as const;
export type AlarmId = (typeof ALARM_IDS)[number];

export const RUNBOOK = "docs/operations.md";

export type Comparison = "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold";

/** One CloudWatch metric, as a metric-math input (`id` is the name an expression uses). */
export interface MetricRef<T> {
  readonly id: string;
  readonly namespace: string;
  readonly metricName: string;
  /** Values from this stack's resources (T), or constants such as a DynamoDB operation name. */
  readonly dimensions: Readonly<Record<string, T | string>>;
  /** Statistic: Sum, Average, Minimum, Maximum, or a percentile such as p99. */
  readonly stat: string;
  readonly label: string;
}

export interface AlarmSpec<T> {
  readonly id: AlarmId;
  /** One line: what is wrong, in the on-call engineer's words. */
  readonly title: string;
  readonly metrics: readonly MetricRef<T>[];
  /** Metric math over the metrics' ids; undefined = the single metric itself. */
  readonly expression: string | undefined;
  readonly unit: string;
  readonly comparison: Comparison;
  readonly threshold: number;
  readonly periodSeconds: number;
  /** M of N: `datapointsToAlarm` breaching periods among the last `evaluationPeriods`. */
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  /**
   * A period without a datapoint: `notBreaching` where no data means no traffic (quiet nights must
   * not page anyone); `breaching` where no data can itself be the outage.
   */
  readonly missingData: "breaching" | "notBreaching";
}

/** The resources the alarms watch: their metric dimension values. */
export interface MonitoredResources<T> {
  /** REST API name and stage (AWS/ApiGateway `ApiName`, `Stage`). */
  readonly apiName: T;
  readonly stageName: T;
  /** ALB and target group ARN suffixes (AWS/ApplicationELB `LoadBalancer`, `TargetGroup`). */
  readonly loadBalancer: T;
  readonly targetGroup: T;
  /** AWS/ECS `ClusterName`, `ServiceName`. */
  readonly clusterName: T;
  readonly serviceName: T;
  /** AWS/DynamoDB `TableName`. */
  readonly tableName: T;
}

export interface AlarmSettings {
  readonly minTasks: number;
  /** DynamoDB operations the service calls: per-operation metrics are summed. */
  readonly tableOperations: readonly string[];
  /** Where the access-log metric filter publishes the 401 count. */
  readonly unauthorizedMetric: { readonly namespace: string; readonly name: string };
  readonly thresholds: AlarmThresholds;
}

/** Below this many requests a minute, a 5XX rate says nothing (one error in three requests). */
export const MIN_REQUESTS_FOR_RATE = 20;
const MINUTE = 60;

export function alarmSpecs<T>(r: MonitoredResources<T>, s: AlarmSettings): AlarmSpec<T>[] {
  const t = s.thresholds;
  const api = { ApiName: r.apiName, Stage: r.stageName };
  const targets = { TargetGroup: r.targetGroup, LoadBalancer: r.loadBalancer };
  const service = { ClusterName: r.clusterName, ServiceName: r.serviceName };
  const metric = (
    id: string,
    namespace: string,
    metricName: string,
    dimensions: Record<string, T | string>,
    stat: string,
    label = metricName,
  ): MetricRef<T> => ({ id, namespace, metricName, dimensions, stat, label });
  // DynamoDB publishes ThrottledRequests and SystemErrors per (table, operation) only: sum them.
  const perOperation = (metricName: string) =>
    s.tableOperations.map((op) =>
      metric(op.charAt(0).toLowerCase() + op.slice(1), "AWS/DynamoDB", metricName, { TableName: r.tableName, Operation: op }, "Sum", op),
    );
  const sumOf = (metrics: readonly MetricRef<T>[]) => `SUM([${metrics.map((m) => `FILL(${m.id}, 0)`).join(", ")}])`;
  const throttles = perOperation("ThrottledRequests");
  const systemErrors = perOperation("SystemErrors");
  const everyMinute = { periodSeconds: MINUTE };
  const quietIsFine = { missingData: "notBreaching" } as const;

  return [
    {
      id: "api-5xx-rate",
      title: "API Gateway answers 5XX to a share of requests",
      metrics: [metric("errors", "AWS/ApiGateway", "5XXError", api, "Sum"), metric("requests", "AWS/ApiGateway", "Count", api, "Sum")],
      expression: `IF(requests >= ${MIN_REQUESTS_FOR_RATE}, 100 * errors / requests, 0)`,
      unit: "%",
      comparison: "GreaterThanThreshold",
      threshold: t.api5xxPercent,
      ...everyMinute,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      ...quietIsFine,
    },
    {
      id: "api-p99-latency",
      title: "API Gateway p99 latency is high",
      metrics: [metric("latency", "AWS/ApiGateway", "Latency", api, "p99")],
      expression: undefined,
      unit: "ms",
      comparison: "GreaterThanThreshold",
      threshold: t.apiP99LatencyMs,
      periodSeconds: 5 * MINUTE,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      ...quietIsFine,
    },
    {
      id: "alb-unhealthy-hosts",
      title: "A task fails the load balancer's health check",
      metrics: [metric("unhealthy", "AWS/ApplicationELB", "UnHealthyHostCount", targets, "Maximum")],
      expression: undefined,
      unit: "tasks",
      comparison: "GreaterThanThreshold",
      threshold: 0,
      ...everyMinute,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      ...quietIsFine,
    },
    {
      id: "alb-healthy-hosts-low",
      title: `Fewer healthy tasks than minTasks (${s.minTasks})`,
      metrics: [metric("healthy", "AWS/ApplicationELB", "HealthyHostCount", targets, "Minimum")],
      expression: undefined,
      unit: "tasks",
      comparison: "LessThanThreshold",
      threshold: s.minTasks,
      ...everyMinute,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      // A target group with no registered task may publish no HealthyHostCount at all: that silence
      // is the outage this alarm is for, so it counts as breaching.
      missingData: "breaching",
    },
    {
      id: "target-5xx",
      title: "The service answers 5XX",
      metrics: [metric("target5xx", "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", targets, "Sum")],
      expression: undefined,
      unit: "responses/min",
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: t.target5xxPerMinute,
      ...everyMinute,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      ...quietIsFine,
    },
    {
      id: "ecs-cpu-high",
      title: "Service CPU stays high (autoscaling at its limit?)",
      metrics: [metric("cpu", "AWS/ECS", "CPUUtilization", service, "Average")],
      expression: undefined,
      unit: "%",
      comparison: "GreaterThanThreshold",
      threshold: t.cpuPercent,
      periodSeconds: 5 * MINUTE,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      ...quietIsFine,
    },
    {
      id: "ecs-memory-high",
      title: "Service memory stays high",
      metrics: [metric("memory", "AWS/ECS", "MemoryUtilization", service, "Average")],
      expression: undefined,
      unit: "%",
      comparison: "GreaterThanThreshold",
      threshold: t.memoryPercent,
      periodSeconds: 5 * MINUTE,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
      ...quietIsFine,
    },
    {
      id: "dynamodb-throttles",
      title: "DynamoDB throttles the notes table",
      metrics: throttles,
      expression: sumOf(throttles),
      unit: "requests/min",
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: t.dynamoThrottlesPerMinute,
      ...everyMinute,
      evaluationPeriods: 5,
      datapointsToAlarm: 2,
      ...quietIsFine,
    },
    {
      id: "dynamodb-system-errors",
      title: "DynamoDB answers the notes table with system errors",
      metrics: systemErrors,
      expression: sumOf(systemErrors),
      unit: "requests/min",
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: t.dynamoSystemErrorsPerMinute,
      ...everyMinute,
      evaluationPeriods: 5,
      datapointsToAlarm: 2,
      ...quietIsFine,
    },
    {
      id: "unauthorized-burst",
      title: "A burst of 401s (token attack or a broken app release)",
      metrics: [metric("unauthorized", s.unauthorizedMetric.namespace, s.unauthorizedMetric.name, {}, "Sum", "401 responses")],
      expression: undefined,
      unit: "responses/min",
      comparison: "GreaterThanThreshold",
      threshold: t.unauthorizedPerMinute,
      ...everyMinute,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      ...quietIsFine,
    },
  ];
}

const COMPARISON_WORDS: Record<Comparison, string> = {
  GreaterThanThreshold: ">",
  GreaterThanOrEqualToThreshold: ">=",
  LessThanThreshold: "<",
};

/** The alarm's description: the condition in words and the runbook entry to open. */
export function alarmDescription(spec: AlarmSpec<unknown>): string {
  const period = spec.periodSeconds >= 60 ? `${spec.periodSeconds / 60} min` : `${spec.periodSeconds} s`;
  return `${spec.title}: ${COMPARISON_WORDS[spec.comparison]} ${spec.threshold} ${spec.unit} in ${spec.datapointsToAlarm} of ${spec.evaluationPeriods} periods of ${period}. Runbook: ${RUNBOOK}#${spec.id}`;
}
