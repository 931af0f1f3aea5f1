/**
 * The cost estimator: its arithmetic against rows computed by hand, and the price table's
 * provenance (every price has a source and a date).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../infra/config";
import { estimateIdleMonth, toCents } from "../../infra/cost/estimate";
import { HOURS_PER_MONTH, PRICES, type Price } from "../../infra/cost/prices";
import { readStackFile } from "../../infra/cost/stack-file";

const ROOT = join(__dirname, "../..");
const amounts = (config: ReturnType<typeof parseConfig>) => Object.fromEntries(estimateIdleMonth(config).lines.map((l) => [l.id, l.monthlyUsd]));

describe("price table", () => {
  it("every price has a label, an amount, a unit, an https source on an AWS site and a date that is not in the future", () => {
    const today = new Date().toISOString().slice(0, 10);
    for (const [id, price] of Object.entries(PRICES) as [string, Price][]) {
      expect(price.label, id).toMatch(/\S/);
      expect(price.usd, id).toBeGreaterThanOrEqual(0);
      expect(price.per, id).toMatch(/\S/);
      expect(price.source, id).toMatch(/^https:\/\/(aws\.amazon\.com|docs\.aws\.amazon\.com)\/\S+$/);
      expect(price.asOf, id).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(price.asOf)), id).toBe(false);
      expect(price.asOf <= today, `${id} is dated in the future`).toBe(true);
      if (price.per.startsWith("fraction")) expect(price.usd, id).toBeLessThan(1);
    }
  });

  it("holds the us-east-1 list prices the docs cite (docs/architecture.md#aws-facts)", () => {
    expect(HOURS_PER_MONTH).toBe(730);
    expect([PRICES.albHour.usd, PRICES.natGatewayHour.usd, PRICES.publicIpv4Hour.usd]).toEqual([0.0225, 0.045, 0.005]);
    expect([PRICES.fargateVcpuHour.usd, PRICES.fargateGbHour.usd, PRICES.fargateSpotDiscount.usd]).toEqual([0.04048, 0.004445, 0.7]);
    expect([PRICES.restApiMillionRequests.usd, PRICES.dynamoDbMillionWrites.usd, PRICES.dynamoDbMillionReads.usd, PRICES.cognitoMau.usd]).toEqual([
      3.5, 0.625, 0.125, 0.015,
    ]);
    expect(PRICES.fargateSpotDiscount.note).toMatch(/varies/);
  });
});

describe("estimateIdleMonth", () => {
  it("rounds half up to cents, ignoring binary noise", () => {
    expect(toCents(0.0225 * 730)).toBe(16.43); // 16.425
    expect(toCents(2.7030075)).toBe(2.7);
    expect(toCents(0.005 * 730)).toBe(3.65);
  });

  // Every stack has the same monitoring: 10 alarms; the two DynamoDB ones sum 6 operations each, the
  // 5XX rate divides 2 metrics, the 7 others watch one: 6 + 6 + 2 + 7 = 21 metrics × 0.10 = 2.10;
  // the dashboard 3.00; the 401 metric filter's custom metric 0.30.
  const monitoring = { alarms: 2.1, dashboard: 3, "unauthorized-metric": 0.3 };

  it("dev stack file: no NAT, one Spot task with a public IP, no WAF — $28.18, at most $30", () => {
    // ALB 730 × 0.0225 = 16.425 → 16.43; task (0.25 × 0.04048 + 0.5 × 0.004445) × 730 × 0.3 = 2.7030075 → 2.70;
    // 1 task public IP 730 × 0.005 = 3.65; no NAT gateway, no Elastic IP; gateway endpoint free; + monitoring 5.40.
    const config = readStackFile(ROOT, "dev").config;
    expect(amounts(config)).toEqual({ alb: 16.43, nat: 0, tasks: 2.7, ipv4: 3.65, "dynamodb-endpoint": 0, ...monitoring });
    expect(estimateIdleMonth(config).totalUsd).toBe(28.18);
    expect(estimateIdleMonth(config).totalUsd).toBeLessThanOrEqual(30);
  });

  it("prod stack file: NAT per AZ with their Elastic IPs, two on-demand tasks, WAF — $139.87", () => {
    // NAT 2 × 730 × 0.045 = 65.70; 2 EIPs 2 × 730 × 0.005 = 7.30; tasks 2 × (0.5 × 0.04048 + 1 × 0.004445) × 730 = 36.0401 → 36.04;
    // WAF 5 + 4 rules × 1 = 9.00 (2 managed groups, 2 rate rules); + monitoring 5.40.
    const config = readStackFile(ROOT, "prod").config;
    expect(amounts(config)).toEqual({ alb: 16.43, nat: 65.7, tasks: 36.04, ipv4: 7.3, "dynamodb-endpoint": 0, waf: 9, ...monitoring });
    expect(estimateIdleMonth(config).totalUsd).toBe(139.87);
  });

  it("a Single-NAT stack of three ARM tasks (1 vCPU, 3 GB)", () => {
    // NAT 730 × 0.045 = 32.85; 1 EIP 3.65; tasks 3 × (1 × 0.04048 + 3 × 0.004445) × 730 × 0.8 = 94.283880 → 94.28.
    const config = parseConfig({
      allowCognitoDefaultEmail: "true",
      natGateways: "Single",
      cpuArchitecture: "ARM64",
      taskCpu: "1024",
      taskMemory: "3072",
      minTasks: "3",
      maxTasks: "4",
      waf: "false",
    });
    expect(amounts(config)).toEqual({ alb: 16.43, nat: 32.85, tasks: 94.28, ipv4: 3.65, "dynamodb-endpoint": 0, ...monitoring });
    expect(estimateIdleMonth(config).totalUsd).toBe(152.61);
  });

  it("public IPs follow the layout: one per task at minTasks without NAT, one per NAT gateway otherwise", () => {
    const noNat = parseConfig({ natGateways: "None", protect: "false", minTasks: "3", maxTasks: "3" });
    expect(estimateIdleMonth(noNat).lines.find((l) => l.id === "ipv4")).toMatchObject({
      monthlyUsd: 10.95,
      basis: expect.stringContaining("3 task public IPs"),
    });
    // Spot with on-demand's size: 30% of (0.25 × 0.04048 + 0.5 × 0.004445) × 730 per task, 3 tasks = 8.1090225 → 8.11.
    expect(amounts({ ...noNat, spot: true })["tasks"]).toBe(8.11);
  });

  it("the total is the sum of the printed lines, and every line says how it is made", () => {
    for (const stack of ["dev", "prod"]) {
      const e = estimateIdleMonth(readStackFile(ROOT, stack).config);
      expect(e.totalUsd).toBe(Math.round(e.lines.reduce((s, l) => s + l.monthlyUsd * 100, 0)) / 100);
      for (const l of e.lines) expect(l.basis, l.id).toMatch(/\S/);
      for (const id of e.pricesUsed) expect(PRICES[id].source).toMatch(/^https:/);
    }
  });
});
