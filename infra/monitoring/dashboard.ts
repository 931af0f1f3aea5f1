/**
 * The CloudWatch dashboard body, generated from the alarm table (one graph per alarm, its threshold
 * drawn) plus the traffic graphs an operator looks at first: request count, latency percentiles,
 * integration latency, task count, and WAF's allowed/blocked requests when WAF is on. Pure: takes
 * resolved names, returns the JSON object CloudWatch's PutDashboard expects.
 */
import type { AlarmSpec, MetricRef, MonitoredResources } from "./alarm-specs";
import { RUNBOOK } from "./alarm-specs";

export interface DashboardWaf {
  /** The web ACL's metric name (= its name) and the rules' metric names. */
  readonly webAclName: string;
  readonly ruleMetricNames: readonly string[];
}

export interface DashboardInputs {
  readonly title: string;
  readonly region: string;
  readonly resources: MonitoredResources<string>;
  readonly alarms: readonly { readonly spec: AlarmSpec<string>; readonly arn: string }[];
  /** Container Insights on: task counts from ECS/ContainerInsights; off: healthy targets stand in. */
  readonly containerInsights: boolean;
  readonly waf: DashboardWaf | undefined;
}

/** A metric row of a graph: namespace, name, dimension pairs, then rendering options. */
export type MetricRow = (string | Record<string, unknown>)[];

export interface Widget {
  readonly type: "metric" | "alarm" | "text";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

export interface DashboardBody {
  readonly widgets: Widget[];
}

const WIDTH = 8;
const HEIGHT = 6;
const PER_ROW = 24 / WIDTH;

export function dashboardBody(d: DashboardInputs): DashboardBody {
  const r = d.resources;
  const api = { ApiName: r.apiName, Stage: r.stageName };
  const graph = (title: string, metrics: MetricRow[], extra: Record<string, unknown> = {}) => ({
    title,
    region: d.region,
    view: "timeSeries",
    stacked: false,
    period: 60,
    metrics,
    ...extra,
  });

  const traffic = [
    graph("Requests (per minute)", [
      row("AWS/ApiGateway", "Count", api, { stat: "Sum", label: "requests" }),
      row("AWS/ApiGateway", "4XXError", api, { stat: "Sum", label: "4XX" }),
      row("AWS/ApiGateway", "5XXError", api, { stat: "Sum", label: "5XX" }),
    ]),
    graph(
      "Latency (ms)",
      ["p50", "p90", "p99"].map((stat) => row("AWS/ApiGateway", "Latency", api, { stat, label: stat })),
    ),
    graph(
      "Integration latency (ms)",
      ["p50", "p90", "p99"].map((stat) => row("AWS/ApiGateway", "IntegrationLatency", api, { stat, label: stat })),
    ),
    graph(
      "Tasks",
      d.containerInsights
        ? ["RunningTaskCount", "DesiredTaskCount", "PendingTaskCount"].map((name) =>
            row("ECS/ContainerInsights", name, { ClusterName: r.clusterName, ServiceName: r.serviceName }, { stat: "Average", label: name }),
          )
        : [
            row(
              "AWS/ApplicationELB",
              "HealthyHostCount",
              { TargetGroup: r.targetGroup, LoadBalancer: r.loadBalancer },
              { stat: "Minimum", label: "healthy tasks (Container Insights off)" },
            ),
          ],
    ),
  ];
  const perAlarm = d.alarms.map(({ spec }) =>
    graph(`${spec.id}: ${spec.title}`, alarmRows(spec), {
      period: spec.periodSeconds,
      annotations: { horizontal: [{ label: `alarm ${spec.comparison.startsWith("Less") ? "<" : ">"} ${spec.threshold}`, value: spec.threshold }] },
    }),
  );
  const waf = d.waf ? wafGraphs(d.waf, d.region, graph) : [];

  const header: Widget = {
    type: "text",
    x: 0,
    y: 0,
    width: 16,
    height: 2,
    properties: { markdown: `# ${d.title}\nEvery alarm has a runbook entry in \`${RUNBOOK}\` under its id (the graph titles start with it).` },
  };
  const status: Widget = {
    type: "alarm",
    x: 16,
    y: 0,
    width: 8,
    height: 2,
    properties: { title: "Alarms", alarms: d.alarms.map((a) => a.arn), sortBy: "stateUpdatedTimestamp" },
  };
  const graphs = [...traffic, ...waf, ...perAlarm].map(
    (properties, i): Widget => ({
      type: "metric",
      x: (i % PER_ROW) * WIDTH,
      y: 2 + Math.floor(i / PER_ROW) * HEIGHT,
      width: WIDTH,
      height: HEIGHT,
      properties,
    }),
  );
  return { widgets: [header, status, ...graphs] };
}

/** A metric row: `[namespace, name, dim1, value1, …, options]`. */
function row(namespace: string, metricName: string, dimensions: Readonly<Record<string, string>>, options: Record<string, unknown>): MetricRow {
  return [namespace, metricName, ...Object.entries(dimensions).flat(), options];
}

/** The alarm's own metrics (hidden when an expression combines them) and its expression. */
function alarmRows(spec: AlarmSpec<string>): MetricRow[] {
  const visible = spec.expression === undefined;
  const metrics = spec.metrics.map((m: MetricRef<string>) => row(m.namespace, m.metricName, m.dimensions, { id: m.id, stat: m.stat, label: m.label, visible }));
  return spec.expression === undefined ? metrics : [...metrics, [{ expression: spec.expression, id: "result", label: `${spec.id} (${spec.unit})` }]];
}

function wafGraphs(waf: DashboardWaf, region: string, graph: (title: string, metrics: MetricRow[]) => Record<string, unknown>): Record<string, unknown>[] {
  const dims = (rule: string) => ({ WebACL: waf.webAclName, Region: region, Rule: rule });
  return [
    graph("WAF: allowed and blocked requests", [
      row("AWS/WAFV2", "AllowedRequests", dims("ALL"), { stat: "Sum", label: "allowed" }),
      row("AWS/WAFV2", "BlockedRequests", dims("ALL"), { stat: "Sum", label: "blocked" }),
    ]),
    graph(
      "WAF: blocked requests per rule",
      waf.ruleMetricNames.map((rule) => row("AWS/WAFV2", "BlockedRequests", dims(rule), { stat: "Sum", label: rule })),
    ),
  ];
}
