/**
 * The price table behind `npm run cost`: us-east-1 list prices, each with the page it comes from
 * and the date it was taken. The figures are the AWS facts of docs/architecture.md#aws-facts (checked against these AWS
 * pages); when AWS changes a price, change it here with its new date — the estimator, the CLI and
 * docs/deploy.md's table all follow (the docs test fails until `npm run cost -- --update-docs`).
 */

/** The region these prices are for; other regions differ (the CLI says so). */
export const PRICE_REGION = "us-east-1";

/** Hours in a billing month, as AWS's pricing pages and calculator count them. */
export const HOURS_PER_MONTH = 730;

export interface Price {
  /** What is priced, in a few words. */
  readonly label: string;
  /** US dollars per `per`, or a fraction (0..1) for a discount. */
  readonly usd: number;
  /** What one `usd` buys: "hour", "GB", "month", "million requests", "fraction off"… */
  readonly per: string;
  /** The AWS page the figure comes from. */
  readonly source: string;
  /** When it was taken (YYYY-MM-DD). */
  readonly asOf: string;
  /** What the figure assumes, when it is not a plain list price. */
  readonly note?: string;
}

const TAKEN = "2026-11-29";
const ELB = "https://aws.amazon.com/elasticloadbalancing/pricing/";
const VPC = "https://aws.amazon.com/vpc/pricing/";
const FARGATE = "https://aws.amazon.com/fargate/pricing/";

export const PRICES = {
  albHour: { label: "Application Load Balancer", usd: 0.0225, per: "ALB-hour", source: ELB, asOf: TAKEN },
  albLcuHour: { label: "ALB capacity units", usd: 0.008, per: "LCU-hour", source: ELB, asOf: TAKEN },
  natGatewayHour: { label: "NAT gateway", usd: 0.045, per: "NAT gateway-hour", source: VPC, asOf: TAKEN },
  natGatewayGb: { label: "NAT gateway data", usd: 0.045, per: "GB processed", source: VPC, asOf: TAKEN },
  publicIpv4Hour: {
    label: "Public IPv4 address",
    usd: 0.005,
    per: "public IPv4 address-hour",
    source: VPC,
    asOf: TAKEN,
    note: "every public IPv4 address, in use or not: a NAT gateway's Elastic IP and a task's public IP alike",
  },
  fargateVcpuHour: { label: "Fargate vCPU", usd: 0.04048, per: "vCPU-hour (Linux/X86_64)", source: FARGATE, asOf: TAKEN },
  fargateGbHour: { label: "Fargate memory", usd: 0.004445, per: "GB-hour (Linux/X86_64)", source: FARGATE, asOf: TAKEN },
  fargateArmDiscount: { label: "Fargate ARM64 discount", usd: 0.2, per: "fraction off X86_64 (Linux/ARM64)", source: FARGATE, asOf: TAKEN },
  fargateSpotDiscount: {
    label: "Fargate Spot discount",
    usd: 0.7,
    per: "fraction off on-demand (FARGATE_SPOT)",
    source: FARGATE,
    asOf: TAKEN,
    note: "an assumption: the discount varies by region and over time (AWS says up to 70%)",
  },
  gatewayEndpointHour: {
    label: "VPC gateway endpoint",
    usd: 0,
    per: "gateway endpoint-hour",
    source: "https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html",
    asOf: TAKEN,
    note: "gateway endpoints (DynamoDB, S3) have no charge",
  },
  wafWebAclMonth: { label: "WAF web ACL", usd: 5, per: "web ACL-month", source: "https://aws.amazon.com/waf/pricing/", asOf: TAKEN },
  wafRuleMonth: { label: "WAF rule", usd: 1, per: "rule-month", source: "https://aws.amazon.com/waf/pricing/", asOf: TAKEN },
  wafMillionRequests: { label: "WAF requests", usd: 0.6, per: "million requests", source: "https://aws.amazon.com/waf/pricing/", asOf: TAKEN },
  alarmMonth: {
    label: "CloudWatch alarm metric",
    usd: 0.1,
    per: "standard-resolution alarm metric-month",
    source: "https://aws.amazon.com/cloudwatch/pricing/",
    asOf: TAKEN,
    note: "a metric-math alarm is billed per metric in its expression",
  },
  dashboardMonth: {
    label: "CloudWatch dashboard",
    usd: 3,
    per: "dashboard-month",
    source: "https://aws.amazon.com/cloudwatch/pricing/",
    asOf: TAKEN,
    note: "an account's first 3 dashboards are free; counted here as if they were used up",
  },
  customMetricMonth: {
    label: "CloudWatch custom metric",
    usd: 0.3,
    per: "metric-month (first 10,000 metrics)",
    source: "https://aws.amazon.com/cloudwatch/pricing/",
    asOf: TAKEN,
    note: "a log metric filter's metric and Container Insights' metrics are custom metrics",
  },
  logsIngestedGb: {
    label: "CloudWatch Logs ingestion",
    usd: 0.5,
    per: "GB ingested (standard)",
    source: "https://aws.amazon.com/cloudwatch/pricing/",
    asOf: TAKEN,
  },
  restApiMillionRequests: {
    label: "API Gateway REST requests",
    usd: 3.5,
    per: "million REST API requests",
    source: "https://aws.amazon.com/api-gateway/pricing/",
    asOf: TAKEN,
  },
  dynamoDbMillionWrites: {
    label: "DynamoDB writes",
    usd: 0.625,
    per: "million write request units (on-demand)",
    source: "https://aws.amazon.com/dynamodb/pricing/on-demand/",
    asOf: TAKEN,
  },
  dynamoDbMillionReads: {
    label: "DynamoDB reads",
    usd: 0.125,
    per: "million read request units (on-demand)",
    source: "https://aws.amazon.com/dynamodb/pricing/on-demand/",
    asOf: TAKEN,
  },
  cognitoMau: {
    label: "Cognito users",
    usd: 0.015,
    per: "monthly active user beyond 10,000 (Essentials)",
    source: "https://aws.amazon.com/cognito/pricing/",
    asOf: TAKEN,
    note: "the first 10,000 MAU a month are free",
  },
} as const satisfies Record<string, Price>;

export type PriceId = keyof typeof PRICES;
