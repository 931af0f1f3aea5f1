/**
 * The idle monthly cost of a stack, from its validated config and the price table: what the stack
 * costs with no traffic at all (load balancer, NAT, `minTasks` tasks, public IPv4 addresses, …),
 * item by item. Pure: no Pulumi engine, no I/O. Adding an item is one entry in IDLE_ITEMS.
 */
import { alarmSpecs, type MonitoredResources } from "../monitoring/alarm-specs";
import type { StackConfig } from "../config";
import { TABLE_OPERATIONS } from "../backend/task-permissions";
import { WAF_RULE_COUNT } from "../edge/waf-rules";
import { natGatewayCount, tasksHavePublicIps } from "../backend/network-layout";
import { HOURS_PER_MONTH, PRICES, type PriceId } from "./prices";

export interface CostLine {
  /** Stable id of the item (the docs table's row). */
  readonly id: string;
  readonly item: string;
  /** How the figure is made: quantities × prices, in words. */
  readonly basis: string;
  /** US dollars per month, rounded to cents. */
  readonly monthlyUsd: number;
}

export interface IdleEstimate {
  readonly lines: readonly CostLine[];
  /** Sum of the lines' rounded amounts, so the printed lines add up to the printed total. */
  readonly totalUsd: number;
  /** Every price the lines used (for the sources and dates under the table). */
  readonly pricesUsed: readonly PriceId[];
}

/**
 * One item of the idle month: its line for a config (the amount, how it is made, and the prices it
 * used), or undefined when the config turns the item off.
 */
export interface IdleItem {
  readonly id: string;
  readonly item: string;
  line(config: StackConfig): { basis: string; usd: number; prices: readonly PriceId[] } | undefined;
}

const p = (id: PriceId) => PRICES[id].usd;
/** A price as AWS writes it: at least two decimals ($3.50), more when it has them ($0.0225). */
export const usd = (n: number): string => `$${Math.abs(n * 100 - Math.round(n * 100)) < 1e-9 ? n.toFixed(2) : String(n)}`;
const percent = (fraction: number) => `${Math.round(fraction * 100)}%`;
const hourly = (count: number, id: PriceId) => count * HOURS_PER_MONTH * p(id);

/** Monthly cost of one running task of the config's size, architecture and capacity provider. */
export function taskMonthlyUsd(config: Pick<StackConfig, "taskCpu" | "taskMemory" | "cpuArchitecture" | "spot">): number {
  const onDemandX86 = (config.taskCpu / 1024) * p("fargateVcpuHour") + (config.taskMemory / 1024) * p("fargateGbHour");
  const arm = config.cpuArchitecture === "ARM64" ? 1 - p("fargateArmDiscount") : 1;
  const spot = config.spot ? 1 - p("fargateSpotDiscount") : 1;
  return onDemandX86 * arm * spot * HOURS_PER_MONTH;
}

/** Public IPv4 addresses an idle stack holds: each NAT gateway's Elastic IP, each task's public IP. */
export function publicIpv4Count(config: Pick<StackConfig, "natGateways" | "minTasks">): { natEips: number; taskIps: number } {
  return { natEips: natGatewayCount(config.natGateways), taskIps: tasksHavePublicIps(config.natGateways) ? config.minTasks : 0 };
}

export const IDLE_ITEMS: readonly IdleItem[] = [
  {
    id: "alb",
    item: "Load balancer (internal ALB)",
    line: () => ({ basis: `1 × ${HOURS_PER_MONTH} h × ${usd(p("albHour"))}/h (LCUs under load extra)`, usd: hourly(1, "albHour"), prices: ["albHour"] }),
  },
  {
    id: "nat",
    item: "NAT gateways",
    line: (c) => {
      const n = natGatewayCount(c.natGateways);
      return n === 0
        ? { basis: "none (natGateways None)", usd: 0, prices: [] }
        : {
            basis: `${n} × ${HOURS_PER_MONTH} h × ${usd(p("natGatewayHour"))}/h (natGateways ${c.natGateways}; data extra)`,
            usd: hourly(n, "natGatewayHour"),
            prices: ["natGatewayHour"],
          };
    },
  },
  {
    id: "tasks",
    item: "Fargate tasks at minTasks",
    line: (c) => {
      const size = `${c.taskCpu / 1024} vCPU, ${c.taskMemory / 1024} GB, ${c.cpuArchitecture}`;
      const discounts = [
        c.cpuArchitecture === "ARM64" ? `ARM −${percent(p("fargateArmDiscount"))}` : undefined,
        c.spot ? `FARGATE_SPOT −${percent(p("fargateSpotDiscount"))} (assumed)` : "FARGATE on-demand",
      ]
        .filter((d) => d !== undefined)
        .join(", ");
      const prices: PriceId[] = ["fargateVcpuHour", "fargateGbHour"];
      if (c.cpuArchitecture === "ARM64") prices.push("fargateArmDiscount");
      if (c.spot) prices.push("fargateSpotDiscount");
      return { basis: `${c.minTasks} × (${size}) × ${HOURS_PER_MONTH} h, ${discounts}`, usd: c.minTasks * taskMonthlyUsd(c), prices };
    },
  },
  {
    id: "ipv4",
    item: "Public IPv4 addresses",
    line: (c) => {
      const { natEips, taskIps } = publicIpv4Count(c);
      const what =
        [natEips > 0 ? `${natEips} NAT Elastic IP${natEips > 1 ? "s" : ""}` : "", taskIps > 0 ? `${taskIps} task public IP${taskIps > 1 ? "s" : ""}` : ""]
          .filter(Boolean)
          .join(" + ") || "none";
      return {
        basis: `${what} × ${HOURS_PER_MONTH} h × ${usd(p("publicIpv4Hour"))}/h (the internal ALB has none)`,
        usd: hourly(natEips + taskIps, "publicIpv4Hour"),
        prices: ["publicIpv4Hour"],
      };
    },
  },
  {
    id: "dynamodb-endpoint",
    item: "DynamoDB gateway endpoint",
    line: () => ({ basis: "no charge (gateway endpoint)", usd: hourly(1, "gatewayEndpointHour"), prices: ["gatewayEndpointHour"] }),
  },
  {
    id: "waf",
    item: "WAF web ACL",
    line: (c) =>
      c.waf
        ? {
            basis: `1 web ACL × ${usd(p("wafWebAclMonth"))} + ${WAF_RULE_COUNT} rules × ${usd(p("wafRuleMonth"))} (requests extra)`,
            usd: p("wafWebAclMonth") + WAF_RULE_COUNT * p("wafRuleMonth"),
            prices: ["wafWebAclMonth", "wafRuleMonth"],
          }
        : undefined,
  },
  {
    id: "alarms",
    item: "CloudWatch alarms",
    line: (c) => {
      const { alarms, metrics } = alarmMetricCount(c);
      return { basis: `${alarms} alarms watching ${metrics} metrics × ${usd(p("alarmMonth"))}`, usd: metrics * p("alarmMonth"), prices: ["alarmMonth"] };
    },
  },
  {
    id: "dashboard",
    item: "CloudWatch dashboard",
    line: () => ({ basis: `1 × ${usd(p("dashboardMonth"))} (free if the account has fewer than 3)`, usd: p("dashboardMonth"), prices: ["dashboardMonth"] }),
  },
  {
    id: "unauthorized-metric",
    item: "401 count metric (access-log metric filter)",
    line: () => ({ basis: `1 custom metric × ${usd(p("customMetricMonth"))}`, usd: p("customMetricMonth"), prices: ["customMetricMonth"] }),
  },
];

/** Placeholder dimension values: counting an alarm's metrics does not depend on them. */
const ANY_RESOURCES: MonitoredResources<string> = {
  apiName: "api",
  stageName: "stage",
  loadBalancer: "lb",
  targetGroup: "tg",
  clusterName: "cluster",
  serviceName: "service",
  tableName: "table",
};

/** The Monitoring component's alarms for this config (infra/monitoring/alarm-specs.ts), and the metrics they watch. */
export function alarmMetricCount(config: StackConfig): { alarms: number; metrics: number } {
  const specs = alarmSpecs(ANY_RESOURCES, {
    minTasks: config.minTasks,
    tableOperations: TABLE_OPERATIONS,
    unauthorizedMetric: { namespace: "ns", name: "unauthorized" },
    thresholds: config.alarmThresholds,
  });
  return { alarms: specs.length, metrics: specs.reduce((sum, spec) => sum + spec.metrics.length, 0) };
}

/** Round half up to cents, ignoring binary noise (0.0225 × 730 is 16.425, not 16.42499…). */
export function toCents(n: number): number {
  return Math.round(Number((n * 100).toPrecision(12))) / 100;
}

export function estimateIdleMonth(config: StackConfig, items: readonly IdleItem[] = IDLE_ITEMS): IdleEstimate {
  const lines: CostLine[] = [];
  const pricesUsed = new Set<PriceId>();
  for (const entry of items) {
    const line = entry.line(config);
    if (line === undefined) continue;
    lines.push({ id: entry.id, item: entry.item, basis: line.basis, monthlyUsd: toCents(line.usd) });
    for (const id of line.prices) pricesUsed.add(id);
  }
  const totalCents = lines.reduce((sum, l) => sum + Math.round(l.monthlyUsd * 100), 0);
  return { lines, totalUsd: totalCents / 100, pricesUsed: [...pricesUsed] };
}

/** Prices that grow with use rather than time, shown under the idle total. */
export interface UsagePrice {
  readonly item: string;
  readonly price: string;
  readonly prices: readonly PriceId[];
  /** Shown only when the config has the item (e.g. NAT data only with NAT gateways). */
  readonly when?: (config: StackConfig) => boolean;
}

export const USAGE_PRICES: readonly UsagePrice[] = [
  { item: "API Gateway REST API", price: `${usd(p("restApiMillionRequests"))} per million requests`, prices: ["restApiMillionRequests"] },
  {
    item: "DynamoDB on-demand",
    price: `${usd(p("dynamoDbMillionWrites"))} per million writes, ${usd(p("dynamoDbMillionReads"))} per million reads`,
    prices: ["dynamoDbMillionWrites", "dynamoDbMillionReads"],
  },
  { item: "Cognito (Essentials)", price: `free to 10,000 MAU, then ${usd(p("cognitoMau"))} per MAU`, prices: ["cognitoMau"] },
  { item: "Load balancer capacity", price: `${usd(p("albLcuHour"))} per LCU-hour`, prices: ["albLcuHour"] },
  {
    item: "Container Insights",
    price: `${usd(p("customMetricMonth"))} per metric-month and ${usd(p("logsIngestedGb"))} per GB of performance logs (grows with tasks)`,
    prices: ["customMetricMonth", "logsIngestedGb"],
    when: (c) => c.containerInsights,
  },
  { item: "NAT gateway data", price: `${usd(p("natGatewayGb"))} per GB`, prices: ["natGatewayGb"], when: (c) => natGatewayCount(c.natGateways) > 0 },
];

export function usagePricesFor(config: StackConfig): readonly UsagePrice[] {
  return USAGE_PRICES.filter((u) => u.when === undefined || u.when(config));
}
