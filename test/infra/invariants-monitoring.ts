/**
 * Monitoring, asserted on the resources the program registered: every
 * alarm of the table with the topic as alarm and OK action, and one dashboard whose every metric
 * resolves — dimension by dimension — to this stack's own resources.
 */
import { describe, expect, it } from "vitest";
import { ALARM_IDS, RUNBOOK } from "../../infra/monitoring/alarm-specs";
import { TABLE_OPERATIONS } from "../../infra/backend/task-permissions";
import type { StackConfig } from "../../infra/config";
import { alarmMetricCount } from "../../infra/cost/estimate";
import { UNAUTHORIZED_FILTER_PATTERN } from "../../infra/monitoring/monitoring";
import { ACCESS_LOG_FORMAT } from "../../infra/api/rest-api";
import { ofType, outputsFor, REGION, type Recorded, type ResourceInputs } from "./mocks";
import { one, outputOf, T } from "./recorded";

/** The dimensions each namespace's metrics must carry, exactly. */
const DIMENSIONS_BY_NAMESPACE: Record<string, readonly string[]> = {
  "AWS/ApiGateway": ["ApiName", "Stage"],
  "AWS/ApplicationELB": ["LoadBalancer", "TargetGroup"],
  "AWS/ECS": ["ClusterName", "ServiceName"],
  "ECS/ContainerInsights": ["ClusterName", "ServiceName"],
  "AWS/DynamoDB": ["Operation", "TableName"],
  "AWS/WAFV2": ["Region", "Rule", "WebACL"],
};

interface MetricUse {
  readonly where: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
}

export function describeMonitoringInvariants(stack: string, config: StackConfig): void {
  const prefix = `user-aware-api-${stack}`;
  const alarms = () => ofType(T.alarm);
  const topicArn = () => outputOf(one(T.topic), "arn");

  /** What each dimension may name: this stack's resources, read from what the program registered. */
  function ownValues(): Record<string, readonly string[]> {
    const fargate = one(T.fargate);
    const acl = config.waf ? one(T.webAcl) : undefined;
    return {
      ApiName: [outputOf(one(T.restApi), "name")],
      Stage: [config.stageName],
      LoadBalancer: [outputOf(one(T.lb), "arnSuffix")],
      TargetGroup: [outputOf(one(T.tg), "arnSuffix")],
      ClusterName: [outputOf(one(T.cluster), "name")],
      ServiceName: [(outputsFor(fargate.type, fargate.name, fargate.inputs)["service"] as { name: string }).name],
      TableName: [outputOf(one(T.table), "name")],
      Operation: [...TABLE_OPERATIONS],
      WebACL: acl ? [acl.inputs["name"]] : [],
      Region: acl ? [REGION] : [],
      Rule: acl ? ["ALL", ...(acl.inputs["rules"] as { visibilityConfig: { metricName: string } }[]).map((r) => r.visibilityConfig.metricName)] : [],
    };
  }

  /** Fails naming the metric unless its namespace is known and each dimension names this stack's resource. */
  function expectOwnMetric(use: MetricUse): void {
    const filter = one(T.logMetricFilter).inputs["metricTransformation"];
    if (use.namespace === filter.namespace) {
      expect([use.metricName, use.dimensions], `${use.where}: the 401 metric`).toEqual([filter.name, {}]);
      return;
    }
    const required = DIMENSIONS_BY_NAMESPACE[use.namespace];
    expect(required, `${use.where}: ${use.namespace}/${use.metricName} is not a metric this stack publishes`).toBeDefined();
    expect(Object.keys(use.dimensions).sort(), `${use.where}: ${use.namespace}/${use.metricName} dimensions`).toEqual(required);
    const own = ownValues();
    for (const [key, value] of Object.entries(use.dimensions)) {
      expect(own[key], `${use.where}: ${key}=${value} is not one of this stack's resources`).toContain(value);
    }
  }

  function alarmMetrics(a: Recorded): MetricUse[] {
    return (a.inputs["metricQueries"] as { metric?: { namespace: string; metricName: string; dimensions?: Record<string, string> } }[])
      .filter((q) => q.metric !== undefined)
      .map((q) => ({ where: a.urn, namespace: q.metric!.namespace, metricName: q.metric!.metricName, dimensions: q.metric!.dimensions ?? {} }));
  }

  function dashboard(): { widgets: { type: string; properties: ResourceInputs }[] } {
    return JSON.parse(one(T.dashboard).inputs["dashboardBody"]);
  }

  /** Every metric row of every graph: `[namespace, name, k1, v1, …, options?]`; expression rows skipped. */
  function dashboardMetrics(): MetricUse[] {
    return dashboard()
      .widgets.filter((w) => w.type === "metric")
      .flatMap((w) =>
        (w.properties["metrics"] as unknown[][])
          .filter((row) => typeof row[0] === "string")
          .map((row) => {
            const [namespace, metricName, ...rest] = row.filter((x): x is string => typeof x === "string");
            const dimensions: Record<string, string> = {};
            for (let i = 0; i < rest.length; i += 2) dimensions[rest[i]!] = rest[i + 1]!;
            return { where: `dashboard widget "${w.properties["title"]}"`, namespace: namespace!, metricName: metricName!, dimensions };
          }),
      );
  }

  describe(`${stack}: monitoring`, () => {
    it("every alarm of the table exists once, named after the stack, its description linking its runbook entry", () => {
      expect(
        alarms()
          .map((a) => a.inputs["name"])
          .sort(),
      ).toEqual(ALARM_IDS.map((id) => `${prefix}-${id}`).sort());
      for (const a of alarms()) {
        const id = (a.inputs["name"] as string).slice(prefix.length + 1);
        expect(a.inputs["alarmDescription"], a.urn).toContain(`${RUNBOOK}#${id}`);
      }
    });

    it("every alarm sends ALARM and OK to the topic; missing data is not breaching except for the healthy-host count", () => {
      for (const a of alarms()) {
        expect(a.inputs["alarmActions"], a.urn).toEqual([topicArn()]);
        expect(a.inputs["okActions"], a.urn).toEqual([topicArn()]);
        // A target group with no registered task may publish no HealthyHostCount: that is the outage.
        const healthyHosts = a.inputs["name"] === `${prefix}-alb-healthy-hosts-low`;
        expect(a.inputs["treatMissingData"], a.urn).toBe(healthyHosts ? "breaching" : "notBreaching");
        const returned = (a.inputs["metricQueries"] as { returnData?: boolean }[]).filter((q) => q.returnData);
        expect(returned, `${a.urn}: exactly one query returns data`).toHaveLength(1);
      }
    });

    it("every alarm's metrics are this stack's own (API name and stage, ALB/target group suffixes, cluster/service, table)", () => {
      const uses = alarms().flatMap(alarmMetrics);
      for (const use of uses) expectOwnMetric(use);
      // The alarms together watch every resource they are meant to.
      const seen = new Set(uses.flatMap((u) => Object.keys(u.dimensions)));
      for (const key of ["ApiName", "Stage", "LoadBalancer", "TargetGroup", "ClusterName", "ServiceName", "TableName", "Operation"])
        expect(seen, key).toContain(key);
    });

    it("npm run cost prices exactly these alarms: as many as declared, watching as many metrics", () => {
      // A metric-math alarm is billed per metric in its expression: count the declared queries that read a metric.
      const declaredMetrics = alarms().reduce((sum, a) => sum + alarmMetrics(a).length, 0);
      expect(alarmMetricCount(config)).toEqual({ alarms: alarms().length, metrics: declaredMetrics });
    });

    it("the alarms watch what their ids say, with thresholds from config", () => {
      const byId = (id: string) => alarms().find((a) => a.inputs["name"] === `${prefix}-${id}`)!;
      const metricsOf = (id: string) =>
        alarmMetrics(byId(id))
          .map((m) => `${m.namespace}/${m.metricName}`)
          .sort();
      const t = config.alarmThresholds;
      expect(metricsOf("api-5xx-rate")).toEqual(["AWS/ApiGateway/5XXError", "AWS/ApiGateway/Count"]);
      expect(byId("api-5xx-rate").inputs["threshold"]).toBe(t.api5xxPercent);
      expect(metricsOf("api-p99-latency")).toEqual(["AWS/ApiGateway/Latency"]);
      expect(byId("api-p99-latency").inputs["metricQueries"][0].metric.stat).toBe("p99");
      expect(metricsOf("alb-unhealthy-hosts")).toEqual(["AWS/ApplicationELB/UnHealthyHostCount"]);
      expect([byId("alb-unhealthy-hosts").inputs["comparisonOperator"], byId("alb-unhealthy-hosts").inputs["threshold"]]).toEqual(["GreaterThanThreshold", 0]);
      expect(metricsOf("alb-healthy-hosts-low")).toEqual(["AWS/ApplicationELB/HealthyHostCount"]);
      expect([byId("alb-healthy-hosts-low").inputs["comparisonOperator"], byId("alb-healthy-hosts-low").inputs["threshold"]]).toEqual([
        "LessThanThreshold",
        config.minTasks,
      ]);
      expect(metricsOf("target-5xx")).toEqual(["AWS/ApplicationELB/HTTPCode_Target_5XX_Count"]);
      expect(metricsOf("ecs-cpu-high")).toEqual(["AWS/ECS/CPUUtilization"]);
      expect(byId("ecs-cpu-high").inputs["threshold"]).toBe(t.cpuPercent);
      expect(metricsOf("ecs-memory-high")).toEqual(["AWS/ECS/MemoryUtilization"]);
      expect(byId("ecs-memory-high").inputs["threshold"]).toBe(t.memoryPercent);
      // DynamoDB publishes these per operation: one metric per operation the service calls.
      expect(metricsOf("dynamodb-throttles")).toEqual(TABLE_OPERATIONS.map(() => "AWS/DynamoDB/ThrottledRequests"));
      expect(metricsOf("dynamodb-system-errors")).toEqual(TABLE_OPERATIONS.map(() => "AWS/DynamoDB/SystemErrors"));
      expect(byId("unauthorized-burst").inputs["threshold"]).toBe(t.unauthorizedPerMinute);
    });

    it("401s are counted by a metric filter on the stage's JSON access log (status field)", () => {
      const f = one(T.logMetricFilter);
      const accessLog = ofType(T.logGroup).find((g) => g.name === "api-access-logs")!;
      expect(f.inputs["logGroupName"]).toBe(outputOf(accessLog, "name"));
      expect(f.inputs["pattern"]).toBe(UNAUTHORIZED_FILTER_PATTERN);
      expect(ACCESS_LOG_FORMAT).toContain(`"status":"$context.status"`);
      expect(f.inputs["metricTransformation"]).toMatchObject({ namespace: prefix, value: "1" });
    });

    it("the topic admits only this stack's alarms (this account, over TLS); an email subscription iff alarmEmail", () => {
      const policy = JSON.parse(one(T.topicPolicy).inputs["policy"]);
      const allow = policy.Statement.find((s: { Effect: string }) => s.Effect === "Allow");
      expect(allow.Principal).toEqual({ Service: "cloudwatch.amazonaws.com" });
      expect(allow.Action).toBe("sns:Publish");
      expect(allow.Resource).toBe(topicArn());
      expect(allow.Condition.ArnLike["aws:SourceArn"]).toBe(`arn:aws:cloudwatch:${REGION}:123456789012:alarm:${prefix}-*`);
      for (const a of alarms()) expect(outputOf(a, "arn").startsWith(allow.Condition.ArnLike["aws:SourceArn"].slice(0, -1)), a.urn).toBe(true);
      const subs = ofType(T.topicSubscription);
      if (config.alarmEmail === undefined) return expect(subs).toEqual([]);
      expect(subs.map((s) => [s.inputs["topic"], s.inputs["protocol"], s.inputs["endpoint"]])).toEqual([[topicArn(), "email", config.alarmEmail]]);
    });

    it("one dashboard: a graph per alarm, the alarm status widget lists every alarm", () => {
      const widgets = dashboard().widgets;
      const titles = widgets.map((w) => String(w.properties["title"]));
      for (const id of ALARM_IDS)
        expect(
          titles.some((t) => t.startsWith(`${id}:`)),
          id,
        ).toBe(true);
      const status = widgets.find((w) => w.type === "alarm")!;
      expect([...status.properties["alarms"]].sort()).toEqual(
        alarms()
          .map((a) => outputOf(a, "arn"))
          .sort(),
      );
      expect(one(T.dashboard).inputs["dashboardName"]).toBe(prefix);
    });

    it("every dashboard metric resolves to this stack's own resources", () => {
      const uses = dashboardMetrics();
      expect(uses.length).toBeGreaterThan(20);
      for (const use of uses) expectOwnMetric(use);
      for (const w of dashboard().widgets.filter((x) => x.type === "metric")) expect(w.properties["region"]).toBe(REGION);
    });

    it(`the dashboard graphs request count, latency p50/p90/p99, integration latency, task count${config.waf ? " and WAF" : ""}`, () => {
      const uses = dashboardMetrics();
      const has = (namespace: string, metricName: string) => uses.some((u) => u.namespace === namespace && u.metricName === metricName);
      expect(has("AWS/ApiGateway", "Count")).toBe(true);
      expect(has("AWS/ApiGateway", "IntegrationLatency")).toBe(true);
      const latency = dashboard().widgets.find((w) => w.properties["title"] === "Latency (ms)")!;
      expect((latency.properties["metrics"] as unknown[][]).map((row) => (row[row.length - 1] as { stat: string }).stat)).toEqual(["p50", "p90", "p99"]);
      expect(
        has(config.containerInsights ? "ECS/ContainerInsights" : "AWS/ApplicationELB", config.containerInsights ? "RunningTaskCount" : "HealthyHostCount"),
      ).toBe(true);
      expect(one(T.cluster).inputs["settings"]).toEqual([{ name: "containerInsights", value: config.containerInsights ? "enabled" : "disabled" }]);
      expect(has("AWS/WAFV2", "BlockedRequests")).toBe(config.waf);
    });
  });
}
