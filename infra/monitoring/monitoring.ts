/**
 * Monitoring: an SNS topic (optionally with an email subscription) that receives every alarm's
 * ALARM and OK transitions, the alarms of the table in alarm-specs.ts, the access-log metric
 * filter that counts 401s (API Gateway publishes no per-status metric), and one dashboard
 * generated from the same table. Alarm and dashboard names start with `namePrefix`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { alarmDescription, alarmSpecs, type AlarmId, type AlarmSettings, type AlarmSpec, type MonitoredResources } from "./alarm-specs";
import type { AlarmThresholds } from "../config/monitoring";
import { dashboardBody } from "./dashboard";

export interface MonitoringArgs {
  /** `user-aware-api-<stack>`: alarm names, the dashboard name and the 401 metric's namespace. */
  namePrefix: string;
  region: pulumi.Input<string>;
  /** The watched resources' names and ARN suffixes (metric dimensions). */
  resources: MonitoredResources<pulumi.Input<string>>;
  /** The stage's JSON access log, where 401s are counted. */
  accessLogGroupName: pulumi.Input<string>;
  /** The service's minimum task count: fewer healthy targets is an alarm. */
  minTasks: number;
  /** DynamoDB operations the service calls (their per-operation metrics are summed). */
  tableOperations: readonly string[];
  thresholds: AlarmThresholds;
  /** Subscribed to the topic by email (the recipient must confirm); undefined = none. */
  alarmEmail: string | undefined;
  /** ECS Container Insights is on for the cluster: the dashboard shows task counts from it. */
  containerInsights: boolean;
  /** The web ACL's metric name and its rules' metric names, when WAF is on. */
  waf: { webAclName: pulumi.Input<string>; ruleMetricNames: readonly string[] } | undefined;
}

/** The access log's 401 count, published by the metric filter. */
export const UNAUTHORIZED_METRIC = "Unauthorized401";
/** JSON filter on the access log's `status` field (a string there: `"status":"$context.status"`). */
export const UNAUTHORIZED_FILTER_PATTERN = '{ $.status = "401" }';

export class Monitoring extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  readonly topicPolicy: aws.sns.TopicPolicy;
  readonly emailSubscription: aws.sns.TopicSubscription | undefined;
  readonly unauthorizedFilter: aws.cloudwatch.LogMetricFilter;
  readonly alarms: ReadonlyMap<AlarmId, aws.cloudwatch.MetricAlarm>;
  readonly dashboard: aws.cloudwatch.Dashboard;
  readonly dashboardUrl: pulumi.Output<string>;

  constructor(name: string, args: MonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
    super("user-aware-api:aws:Monitoring", name, {}, opts);
    const settings: AlarmSettings = {
      minTasks: args.minTasks,
      tableOperations: args.tableOperations,
      unauthorizedMetric: { namespace: args.namePrefix, name: UNAUTHORIZED_METRIC },
      thresholds: args.thresholds,
    };

    // Not KMS-encrypted: CloudWatch cannot publish to a topic under the AWS-managed SNS key, and
    // alarm notifications carry no user data (names, thresholds, metric values).
    this.topic = new aws.sns.Topic(`${name}-alarms`, { displayName: `${args.namePrefix} alarms` }, { parent: this });
    this.topicPolicy = createTopicPolicy(name, this.topic, args.namePrefix, args.region, this);
    this.emailSubscription =
      args.alarmEmail === undefined
        ? undefined
        : new aws.sns.TopicSubscription(
            `${name}-email`,
            {
              topic: this.topic.arn,
              protocol: "email",
              endpoint: args.alarmEmail,
            },
            { parent: this },
          );

    this.unauthorizedFilter = new aws.cloudwatch.LogMetricFilter(
      `${name}-unauthorized`,
      {
        logGroupName: args.accessLogGroupName,
        pattern: UNAUTHORIZED_FILTER_PATTERN,
        metricTransformation: { name: UNAUTHORIZED_METRIC, namespace: args.namePrefix, value: "1", unit: "Count" },
      },
      { parent: this },
    );

    const specs = alarmSpecs(args.resources, settings);
    const alarms = new Map<AlarmId, aws.cloudwatch.MetricAlarm>();
    for (const spec of specs) {
      alarms.set(
        spec.id,
        new aws.cloudwatch.MetricAlarm(
          `${name}-${spec.id}`,
          {
            name: `${args.namePrefix}-${spec.id}`,
            alarmDescription: alarmDescription(spec),
            comparisonOperator: spec.comparison,
            threshold: spec.threshold,
            evaluationPeriods: spec.evaluationPeriods,
            datapointsToAlarm: spec.datapointsToAlarm,
            metricQueries: metricQueries(spec),
            // Per alarm (alarm-specs.ts): no traffic is not an outage, but no healthy-host datapoint can be.
            treatMissingData: spec.missingData,
            alarmActions: [this.topic.arn],
            okActions: [this.topic.arn],
          },
          { parent: this, dependsOn: spec.id === "unauthorized-burst" ? [this.unauthorizedFilter] : [] },
        ),
      );
    }
    this.alarms = alarms;

    const dashboardName = args.namePrefix.replace(/[^A-Za-z0-9_-]/g, "-");
    const resolved: pulumi.Output<MonitoredResources<string>> = pulumi.output(args.resources);
    const alarmArns = pulumi.all(specs.flatMap((s) => alarms.get(s.id)?.arn ?? []));
    const body = pulumi
      .all([resolved, pulumi.output(args.region), alarmArns, pulumi.output(args.waf?.webAclName ?? "")])
      .apply(([resources, region, arns, webAclName]) =>
        JSON.stringify(
          dashboardBody({
            title: args.namePrefix,
            region,
            resources,
            alarms: alarmSpecs(resources, settings).map((spec, i) => ({ spec, arn: arns[i] ?? "" })),
            containerInsights: args.containerInsights,
            waf: args.waf ? { webAclName, ruleMetricNames: args.waf.ruleMetricNames } : undefined,
          }),
        ),
      );
    this.dashboard = new aws.cloudwatch.Dashboard(`${name}-dashboard`, { dashboardName, dashboardBody: body }, { parent: this });
    this.dashboardUrl = pulumi.interpolate`https://${args.region}.console.aws.amazon.com/cloudwatch/home?region=${args.region}#dashboards/dashboard/${this.dashboard.dashboardName}`;

    this.registerOutputs({ topicArn: this.topic.arn, dashboardUrl: this.dashboardUrl });
  }
}

/** The alarm's metrics as metric-math queries; the expression (or the single metric) returns data. */
function metricQueries(spec: AlarmSpec<pulumi.Input<string>>): aws.types.input.cloudwatch.MetricAlarmMetricQuery[] {
  const metrics = spec.metrics.map((m) => ({
    id: m.id,
    label: m.label,
    returnData: spec.expression === undefined,
    metric: { namespace: m.namespace, metricName: m.metricName, dimensions: m.dimensions, period: spec.periodSeconds, stat: m.stat },
  }));
  return spec.expression === undefined
    ? metrics
    : [...metrics, { id: "result", expression: spec.expression, label: `${spec.id} (${spec.unit})`, returnData: true }];
}

/**
 * Only this account's CloudWatch alarms of this stack may publish (confused-deputy conditions), and
 * only over TLS. Replaces the default policy; the account's IAM principals keep their own policies.
 */
function createTopicPolicy(name: string, topic: aws.sns.Topic, namePrefix: string, region: pulumi.Input<string>, parent: pulumi.Resource): aws.sns.TopicPolicy {
  const account = aws.getCallerIdentityOutput({}, { parent }).accountId;
  const partition = aws.getPartitionOutput({}, { parent }).partition;
  const policy = pulumi.all([topic.arn, account, partition, region]).apply(([topicArn, accountId, part, reg]) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "CloudWatchAlarmsOfThisStack",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Resource: topicArn,
          Condition: {
            StringEquals: { "aws:SourceAccount": accountId },
            ArnLike: { "aws:SourceArn": `arn:${part}:cloudwatch:${reg}:${accountId}:alarm:${namePrefix}-*` },
          },
        },
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "sns:Publish",
          Resource: topicArn,
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    }),
  );
  return new aws.sns.TopicPolicy(`${name}-alarms-policy`, { arn: topic.arn, policy }, { parent });
}
