/**
 * The custom domain, monitoring and WAF config keys — the stack files, the
 * boundaries WAF and ACM allow, and every kind of bad value rejected with the key named.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../infra/config";
import { WAF_EVALUATION_WINDOWS, WAF_RATE_LIMIT_MAX, WAF_RATE_LIMIT_MIN } from "../../infra/config/waf";
import { readStackConfig } from "./mocks";

const REGION = "us-east-1";
/** A protected stack needs SES email or this waiver (infra/config/email.ts); not what these tests are about. */
const WAIVED = { allowCognitoDefaultEmail: "true" };
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
const bare = (stack: string) =>
  Object.fromEntries(
    Object.entries(readStackConfig(stack))
      .filter(([k]) => k.startsWith("user-aware-api:"))
      .map(([k, v]) => [k.slice("user-aware-api:".length), v]),
  );

function issuesIn(region: string | undefined, raw: Record<string, unknown>): string[] {
  try {
    parseConfig({ ...WAIVED, ...raw }, "prod", region);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).issues];
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}
const issuesOf = (raw: Record<string, unknown>) => issuesIn(REGION, raw);

describe("stack files", () => {
  it("Pulumi.prod.yaml: WAF on with its limits, Container Insights on, no domain until one is configured", () => {
    expect(parseConfig(bare("prod"), "prod", REGION)).toMatchObject({
      waf: true,
      wafIpRateLimit: 6000,
      wafTokenRateLimit: 1500,
      wafEvaluationWindowSeconds: 300,
      containerInsights: true,
      customDomain: undefined,
    });
  });

  it("Pulumi.dev.yaml: WAF and Container Insights off", () => {
    expect(parseConfig(bare("dev"), "dev", REGION)).toMatchObject({ waf: false, containerInsights: false, customDomain: undefined });
  });
});

describe("custom domain, monitoring and WAF keys: valid values", () => {
  it("a domain with a certificate in the stack's region and an optional hosted zone", () => {
    expect(parseConfig({ ...WAIVED, domainName: "api.example.com", domainCertificateArn: CERT }, "prod", REGION).customDomain).toEqual({
      name: "api.example.com",
      certificateArn: CERT,
      hostedZoneId: undefined,
    });
    expect(
      parseConfig({ ...WAIVED, domainName: "a-1.b.example.co.uk", domainCertificateArn: CERT, domainHostedZoneId: "Z1D633PJN98FT9" }, "prod", REGION)
        .customDomain,
    ).toEqual({ name: "a-1.b.example.co.uk", certificateArn: CERT, hostedZoneId: "Z1D633PJN98FT9" });
    const govCert = "arn:aws-us-gov:acm:us-gov-west-1:123456789012:certificate/0a1b2c3d-4e5f-6789-abcd-ef0123456789";
    expect(parseConfig({ ...WAIVED, domainName: "api.example.gov", domainCertificateArn: govCert }, "prod", "us-gov-west-1").customDomain?.certificateArn).toBe(
      govCert,
    );
  });

  it("WAF's whole range of rate limits and every evaluation window", () => {
    for (const limit of [WAF_RATE_LIMIT_MIN, WAF_RATE_LIMIT_MAX]) {
      expect(parseConfig({ ...WAIVED, wafIpRateLimit: String(limit), wafTokenRateLimit: limit }, "prod", REGION)).toMatchObject({
        wafIpRateLimit: limit,
        wafTokenRateLimit: limit,
      });
    }
    for (const w of WAF_EVALUATION_WINDOWS) expect(parseConfig({ ...WAIVED, wafEvaluationWindowSeconds: String(w) }).wafEvaluationWindowSeconds).toBe(w);
  });

  it("an alarm email and tuned thresholds", () => {
    const c = parseConfig({
      ...WAIVED,
      alarmEmail: "on-call+api@example.com",
      alarmApi5xxPercent: "0.5",
      alarmApiP99LatencyMs: "800",
      alarmUnauthorizedPerMinute: "500",
    });
    expect(c.alarmEmail).toBe("on-call+api@example.com");
    expect(c.alarmThresholds).toMatchObject({ api5xxPercent: 0.5, apiP99LatencyMs: 800, unauthorizedPerMinute: 500 });
  });
});

describe("custom domain, monitoring and WAF keys: bad values name the key", () => {
  // Each row: raw config, the key the message must name, and a fragment of what is allowed.
  const withDomain = { domainName: "api.example.com" };
  const invalid: [string, Record<string, unknown>, string, string][] = [
    ["hostname with capitals", { domainName: "API.example.com", domainCertificateArn: CERT }, "domainName", "lowercase DNS hostname"],
    ["hostname of one label", { domainName: "localhost", domainCertificateArn: CERT }, "domainName", "2+ labels"],
    ["wildcard hostname", { domainName: "*.example.com", domainCertificateArn: CERT }, "domainName", "no wildcard"],
    ["hostname with a trailing dot", { domainName: "api.example.com.", domainCertificateArn: CERT }, "domainName", "no trailing dot"],
    ["hostname label starting with '-'", { domainName: "-api.example.com", domainCertificateArn: CERT }, "domainName", "hostname"],
    ["hostname that is a URL", { domainName: "https://api.example.com", domainCertificateArn: CERT }, "domainName", "hostname"],
    ["hostname with a numeric top label", { domainName: "10.0.0.1", domainCertificateArn: CERT }, "domainName", "hostname"],
    [
      "certificate in another region",
      { ...withDomain, domainCertificateArn: CERT.replace("us-east-1", "eu-west-1") },
      "domainCertificateArn",
      "in the stack's region us-east-1 (this one is in eu-west-1)",
    ],
    [
      "certificate that is not an ACM ARN",
      { ...withDomain, domainCertificateArn: "arn:aws:iam::123456789012:server-certificate/api" },
      "domainCertificateArn",
      "an ACM certificate ARN",
    ],
    [
      "certificate id that is not a UUID",
      { ...withDomain, domainCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc" },
      "domainCertificateArn",
      "an ACM certificate ARN",
    ],
    ["domain without a certificate", withDomain, "domainCertificateArn", "is required when domainName is set"],
    ["certificate without a domain", { domainCertificateArn: CERT }, "domainCertificateArn", "is set but domainName is not"],
    ["hosted zone without a domain", { domainHostedZoneId: "Z1D633PJN98FT9" }, "domainHostedZoneId", "is set but domainName is not"],
    [
      "hosted zone that is a domain name",
      { ...withDomain, domainCertificateArn: CERT, domainHostedZoneId: "example.com" },
      "domainHostedZoneId",
      "Route 53 hosted zone id",
    ],
    ["per-IP rate limit below WAF's minimum", { wafIpRateLimit: "9" }, "wafIpRateLimit", "an integer from 10 to 2000000000"],
    ["per-token rate limit above WAF's maximum", { wafTokenRateLimit: "2000000001" }, "wafTokenRateLimit", "an integer from 10 to 2000000000"],
    ["per-token rate limit not an integer", { wafTokenRateLimit: "1.5k" }, "wafTokenRateLimit", "an integer from 10"],
    ["evaluation window WAF does not offer", { wafEvaluationWindowSeconds: "30" }, "wafEvaluationWindowSeconds", "60 | 120 | 300 | 600"],
    ["waf yes", { waf: "yes" }, "waf", "true | false"],
    ["alarm email without a domain", { alarmEmail: "oncall" }, "alarmEmail", "an email address"],
    ["alarm email without a top-level domain", { alarmEmail: "oncall@localhost" }, "alarmEmail", "an email address"],
    ["alarm email with a space", { alarmEmail: "on call@example.com" }, "alarmEmail", "an email address"],
    ["alarm email list", { alarmEmail: "a@example.com,b@example.com" }, "alarmEmail", "an email address"],
    ["5XX percent of 0", { alarmApi5xxPercent: "0" }, "alarmApi5xxPercent", "a number from 0.01 to 100"],
    ["p99 above the integration timeout", { alarmApiP99LatencyMs: "60000" }, "alarmApiP99LatencyMs", "to 29000"],
    ["CPU above 100 %", { alarmCpuPercent: "101" }, "alarmCpuPercent", "from 1 to 100"],
    ["401s per minute of 0", { alarmUnauthorizedPerMinute: "0" }, "alarmUnauthorizedPerMinute", "from 1"],
    ["containerInsights on", { containerInsights: "on" }, "containerInsights", "true | false"],
  ];

  it.each(invalid)("rejects %s, naming the key and what is allowed", (_label, raw, key, allowed) => {
    const issues = issuesOf(raw);
    const issue = issues.find((i) => i.startsWith(`user-aware-api:${key}:`));
    expect(issue, issues.join("\n")).toBeDefined();
    expect(issue).toContain(allowed);
  });

  it("a certificate cannot be checked without the stack's region: says to set aws:region", () => {
    const issues = issuesIn(undefined, { ...withDomain, domainCertificateArn: CERT });
    expect(issues).toEqual(["user-aware-api:domainCertificateArn: cannot be checked: the stack's region is unknown (set aws:region)"]);
  });

  it("reports every bad key of the three sections at once", () => {
    const issues = issuesOf({ domainName: "Bad_Host", domainCertificateArn: CERT.replace("us-east-1", "eu-central-1"), alarmEmail: "x", wafIpRateLimit: "1" });
    expect(issues.map((i) => i.split(":")[1]).sort()).toEqual(["alarmEmail", "domainCertificateArn", "domainName", "wafIpRateLimit"]);
  });
});
