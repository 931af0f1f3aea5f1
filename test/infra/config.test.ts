/** Stack config: defaults, the real stack files, and every kind of invalid value naming its key. */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { capacityModel } from "../../infra/backend/capacity";
import { FARGATE_MEMORY, parseConfig } from "../../infra/config";
import { bareStackConfig, configIssuesOf } from "./mocks";

const bare = bareStackConfig;

/** The explicit waiver a protected stack without SES email needs (infra/config/email.ts). */
const waived = { allowCognitoDefaultEmail: "true" } as const;

const issuesOf = configIssuesOf;

describe("parseConfig", () => {
  it("fills secure defaults when nothing is set (protected: so Cognito email needs SES or the waiver)", () => {
    // Nothing set is a protected stack, which is refused without SES email until waived explicitly.
    expect(issuesOf({})).toEqual([expect.stringMatching(/^user-aware-api:emailSesIdentityArn: a protected \(production\) stack needs SES sending/)]);
    // The throttle and the request-count target come from the capacity model (config-capacity.test.ts).
    const model = capacityModel({ taskCpu: 256, minTasks: 1, maxTasks: 2 });
    expect(parseConfig(waived, "staging")).toEqual({
      natGateways: "Single",
      taskCpu: 256,
      taskMemory: 512,
      cpuArchitecture: "X86_64",
      minTasks: 1,
      maxTasks: 2,
      throttleRateLimit: model.defaultThrottleRateLimit,
      throttleBurstLimit: Math.max(100, model.defaultThrottleRateLimit),
      requestCountTargetPerMinute: model.requestCountTargetPerMinute,
      apiGatewayAccountRole: "create",
      authorizerCacheTtlSeconds: 300,
      authMode: "verify",
      allowPasswordAuth: false,
      corsAllowedOrigins: [],
      protect: true,
      logRetentionDays: 30,
      tracing: true,
      idTokenValidityMinutes: 60,
      mfa: "OPTIONAL",
      stageName: "staging",
      logLevel: "info",
      spot: false,
      allowPublicTaskIps: false,
      sesEmail: undefined,
      allowCognitoDefaultEmail: true,
      customDomain: undefined,
      alarmEmail: undefined,
      containerInsights: true,
      alarmThresholds: {
        api5xxPercent: 1,
        apiP99LatencyMs: 2000,
        target5xxPerMinute: 5,
        cpuPercent: 85,
        memoryPercent: 85,
        dynamoThrottlesPerMinute: 5,
        dynamoSystemErrorsPerMinute: 1,
        unauthorizedPerMinute: 60,
      },
      waf: true,
      wafIpRateLimit: 6000,
      wafTokenRateLimit: 1500,
      wafEvaluationWindowSeconds: 300,
    });
  });

  it("accepts Pulumi.dev.yaml: cheap (no NAT, Spot), decode mode, password auth on, unprotected", () => {
    const c = parseConfig(bare("dev"), "dev");
    expect(c).toMatchObject({ natGateways: "None", spot: true, minTasks: 1, authMode: "decode", allowPasswordAuth: true, protect: false });
    expect(c.corsAllowedOrigins).toEqual(["http://localhost:8081"]);
  });

  it("accepts Pulumi.prod.yaml: 2+ tasks, NAT per AZ, verify mode, protected, no password auth", () => {
    const c = parseConfig(bare("prod"), "prod");
    expect(c.minTasks).toBeGreaterThanOrEqual(2);
    expect(c).toMatchObject({
      natGateways: "OnePerAz",
      spot: false,
      allowPublicTaskIps: false,
      authMode: "verify",
      allowPasswordAuth: false,
      protect: true,
      corsAllowedOrigins: [],
    });
  });

  it("the stack files say who owns the region's API Gateway CloudWatch role: prod wherever it runs, dev in a dev-only account", () => {
    const text = (stack: string) => readFileSync(path.resolve(__dirname, "../..", `Pulumi.${stack}.yaml`), "utf8");
    expect(parseConfig(bare("prod"), "prod").apiGatewayAccountRole).toBe("create");
    expect(text("prod")).toMatch(/prod owns it\s+# wherever prod runs/);
    expect(parseConfig(bare("dev"), "dev").apiGatewayAccountRole).toBe("create");
    expect(text("dev")).toMatch(/dev owns it in\s+# a dev-only account/);
    expect(text("dev")).toMatch(/prod owns it: set `existing` here/);
  });

  it("accepts every valid Fargate cpu/memory pair and typed (non-string) values", () => {
    for (const [cpu, mems] of Object.entries(FARGATE_MEMORY)) {
      for (const m of mems) expect(parseConfig({ ...waived, taskCpu: cpu, taskMemory: String(m) }).taskMemory).toBe(m);
    }
    expect(parseConfig({ minTasks: 3, maxTasks: 3, protect: false, corsAllowedOrigins: ["https://app.example.com"] })).toMatchObject({
      minTasks: 3,
      maxTasks: 3,
      protect: false,
      corsAllowedOrigins: ["https://app.example.com"],
    });
  });

  // Each row: raw config, the key the message must name, and a fragment of what is allowed.
  const invalid: [string, Record<string, unknown>, string, string][] = [
    ["taskMemory 300", { taskMemory: "300" }, "taskMemory", "512 | 1024 | 2048"],
    ["taskMemory not a Fargate pair for 512 cpu", { taskCpu: "512", taskMemory: "512" }, "taskMemory", "for taskCpu 512"],
    ["taskCpu 300", { taskCpu: "300" }, "taskCpu", "256 | 512 | 1024 | 2048 | 4096"],
    ["throttleBurstLimit below the rate", { throttleRateLimit: "200", throttleBurstLimit: "50" }, "throttleBurstLimit", "from throttleRateLimit (200)"],
    ["throttleBurstLimit 0", { throttleBurstLimit: "0" }, "throttleBurstLimit", "integer"],
    ["throttleRateLimit negative", { throttleRateLimit: "-1" }, "throttleRateLimit", "a number from 1"],
    ["unknown authMode", { authMode: "trust-me" }, "authMode", "decode | verify"],
    ["natGateways lowercase none", { natGateways: "none" }, "natGateways", "None | Single | OnePerAz"],
    ["natGateways a number", { natGateways: 2 }, "natGateways", "None | Single | OnePerAz"],
    ["spot yes", { spot: "yes" }, "spot", "true | false"],
    ["spot on ARM64 (Fargate Spot is X86_64 only)", { spot: "true", cpuArchitecture: "ARM64" }, "spot", "cpuArchitecture X86_64"],
    ["allowPublicTaskIps 1", { allowPublicTaskIps: "1" }, "allowPublicTaskIps", "true | false"],
    ["apiGatewayAccountRole bogus", { apiGatewayAccountRole: "maybe" }, "apiGatewayAccountRole", "create | existing"],
    ["authorizerCacheTtlSeconds above 3600", { authorizerCacheTtlSeconds: "7200" }, "authorizerCacheTtlSeconds", "0 to 3600"],
    ["authorizerCacheTtlSeconds not a number", { authorizerCacheTtlSeconds: "5m" }, "authorizerCacheTtlSeconds", "0 to 3600"],
    ["minTasks 0", { minTasks: "0" }, "minTasks", "from 1"],
    ["maxTasks below minTasks", { minTasks: "3", maxTasks: "2" }, "maxTasks", "minTasks (3)"],
    ["allowPasswordAuth yes", { allowPasswordAuth: "yes" }, "allowPasswordAuth", "true | false"],
    ["protect 1", { protect: "1" }, "protect", "true | false"],
    ["tracing maybe", { tracing: "maybe" }, "tracing", "true | false"],
    ["logRetentionDays 10", { logRetentionDays: "10" }, "logRetentionDays", "7 | 14 | 30"],
    ["corsAllowedOrigins plain http", { corsAllowedOrigins: '["http://example.com"]' }, "corsAllowedOrigins", "https://"],
    ["corsAllowedOrigins wildcard", { corsAllowedOrigins: '["*"]' }, "corsAllowedOrigins", "https://"],
    ["corsAllowedOrigins with a path", { corsAllowedOrigins: ["https://a.example.com/app"] }, "corsAllowedOrigins", "no path"],
    ["corsAllowedOrigins not a list", { corsAllowedOrigins: '{"a":1}' }, "corsAllowedOrigins", "a list of origins"],
    ["cpuArchitecture arm", { cpuArchitecture: "arm" }, "cpuArchitecture", "X86_64 | ARM64"],
    ["idTokenValidityMinutes 2", { idTokenValidityMinutes: "2" }, "idTokenValidityMinutes", "5 to 1440"],
    ["mfa ON", { mfa: "ON" }, "mfa", "OFF | OPTIONAL"],
    ["stageName with a slash", { stageName: "v1/x" }, "stageName", "letters, digits"],
    // The service strips a leading /<stage>: a stage named like the API's first segment would eat it.
    ["stageName notes", { stageName: "notes" }, "stageName", "not a first path segment of the API (health, me, notes)"],
    ["logLevel loud", { logLevel: "loud" }, "logLevel", "info"],
    ["a misspelt key", { taskMem: "512" }, "taskMem", "allowed keys"],
  ];

  it.each(invalid)("rejects %s, naming the key and what is allowed", (_label, raw, key, allowed) => {
    const issues = issuesOf(raw);
    const issue = issues.find((i) => i.startsWith(`user-aware-api:${key}:`));
    expect(issue, issues.join("\n")).toBeDefined();
    expect(issue).toContain(allowed);
  });

  describe("natGateways None (public-IP tasks, a dev layout)", () => {
    it("is accepted on an unprotected stack, with or without Spot", () => {
      expect(parseConfig({ natGateways: "None", protect: "false" })).toMatchObject({ natGateways: "None", protect: false, spot: false });
      expect(parseConfig({ natGateways: "None", protect: false, spot: true })).toMatchObject({ natGateways: "None", spot: true });
    });

    it("is refused with protect true (also by default), naming natGateways, protect and the waiver", () => {
      for (const raw of [
        { ...waived, natGateways: "None", protect: "true" },
        { ...waived, natGateways: "None" },
        { ...waived, natGateways: "None", protect: "true", allowPublicTaskIps: "false" },
      ]) {
        const issues = issuesOf(raw);
        expect(issues, JSON.stringify(raw)).toHaveLength(1);
        expect(issues[0]).toMatch(/^user-aware-api:natGateways: None /);
        expect(issues[0]).toContain("user-aware-api:protect");
        expect(issues[0]).toContain("user-aware-api:allowPublicTaskIps true");
        expect(issues[0]).toContain("Single or OnePerAz");
      }
    });

    it("is accepted with protect true only when allowPublicTaskIps says so explicitly", () => {
      expect(parseConfig({ ...waived, natGateways: "None", protect: "true", allowPublicTaskIps: "true" })).toMatchObject({
        natGateways: "None",
        protect: true,
        allowPublicTaskIps: true,
      });
      // The waiver waives only that: Single/OnePerAz stacks are unaffected by it.
      expect(parseConfig({ ...waived, natGateways: "OnePerAz", protect: "true", allowPublicTaskIps: "true" })).toMatchObject({ natGateways: "OnePerAz" });
    });
  });

  it("reports every bad key at once", () => {
    const issues = issuesOf({ ...waived, authMode: "x", taskCpu: "256", taskMemory: "300", protect: "no" });
    expect(issues.map((i) => i.split(":")[1]).sort()).toEqual(["authMode", "protect", "taskMemory"]);
  });
});
