/**
 * The stage's edge, asserted on the resources the program registered (loaded by describeInvariants):
 * the custom domain and the WAF web ACL. Each check follows
 * the configuration: resources exist exactly when configured, and name this stack's API and stage.
 */
import { describe, expect, it } from "vitest";
import type { StackConfig } from "../../infra/config";
import { MANAGED_RULE_GROUPS, RATE_RULES } from "../../infra/edge/waf";
import { WAF_RULE_COUNT } from "../../infra/edge/waf-rules";
import { errorStatus } from "../../contract/error-codes";
import { isErrorBody } from "../../contract/errors";
import { ofType, REGION, type Recorded, type ResourceInputs } from "./mocks";
import { idOf, one, outputOf, T } from "./recorded";

/** The execute-api URL of the recorded REST API and stage. */
export const executeApiUrl = (config: StackConfig) => `https://${idOf(one(T.restApi))}.execute-api.${REGION}.amazonaws.com/${config.stageName}`;

export function describeEdgeInvariants(stack: string, config: StackConfig, stackOutputs: () => Record<string, unknown>): void {
  const domain = config.customDomain;

  describe(`${stack}: custom domain ${domain ? `${domain.name} (zone ${domain.hostedZoneId ?? "none"})` : "(none)"}`, () => {
    it(`REST API: disableExecuteApiEndpoint is ${domain !== undefined} (on exactly when a domain is set)`, () => {
      expect(one(T.restApi).inputs["disableExecuteApiEndpoint"]).toBe(domain !== undefined);
      // The setting takes effect with the next deployment: switching it must trigger one.
      expect(one(T.deployment).inputs["triggers"]["executeApiEndpoint"]).toBe(domain ? "disabled" : "enabled");
    });

    it(`apiUrl is ${domain ? "https://<domain>" : "the execute-api URL of the stage"}`, () => {
      expect(stackOutputs()["apiUrl"]).toBe(domain ? `https://${domain.name}` : executeApiUrl(config));
    });

    it(domain ? "one REGIONAL DomainName, TLS 1.2, dual-stack, with the configured certificate" : "no DomainName", () => {
      const names = ofType(T.domainName);
      if (!domain) return expect(names.map((r) => r.urn)).toEqual([]);
      const d = one(T.domainName);
      expect(d.inputs["domainName"], d.urn).toBe(domain.name);
      expect(d.inputs["regionalCertificateArn"], d.urn).toBe(domain.certificateArn);
      expect(d.inputs["certificateArn"], `${d.urn}: EDGE certificate`).toBeUndefined();
      expect(d.inputs["endpointConfiguration"], d.urn).toEqual({ types: "REGIONAL", ipAddressType: "dualstack" });
      expect(d.inputs["securityPolicy"], d.urn).toBe("TLS_1_2");
    });

    it(domain ? "one base path mapping of the whole domain to this REST API's stage" : "no base path mapping", () => {
      const mappings = ofType(T.basePathMapping);
      if (!domain) return expect(mappings.map((r) => r.urn)).toEqual([]);
      const m = one(T.basePathMapping);
      expect(m.inputs["domainName"], m.urn).toBe(domain.name);
      expect(m.inputs["restApi"], m.urn).toBe(idOf(one(T.restApi)));
      expect(m.inputs["stageName"], m.urn).toBe(config.stageName);
      expect(m.inputs["basePath"], `${m.urn}: the stage is served at the root`).toBeUndefined();
    });

    it(domain?.hostedZoneId ? "A and AAAA alias records in the zone, to the domain's regional target" : "no alias records", () => {
      const records = ofType(T.record);
      if (!domain?.hostedZoneId) return expect(records.map((r) => r.urn)).toEqual([]);
      const d = one(T.domainName);
      expect(records.map((r) => r.inputs["type"]).sort()).toEqual(["A", "AAAA"]);
      for (const r of records) {
        expect(r.inputs["zoneId"], r.urn).toBe(domain.hostedZoneId);
        expect(r.inputs["name"], r.urn).toBe(domain.name);
        expect(r.inputs["aliases"], r.urn).toEqual([
          { name: outputOf(d, "regionalDomainName"), zoneId: outputOf(d, "regionalZoneId"), evaluateTargetHealth: false },
        ]);
      }
    });

    it(domain && !domain.hostedZoneId ? "output domainTarget names the DNS target" : "no domainTarget output", () => {
      const target = stackOutputs()["domainTarget"];
      if (!domain || domain.hostedZoneId) return expect(target).toBeUndefined();
      const d = one(T.domainName);
      expect(target).toEqual({ name: outputOf(d, "regionalDomainName"), zoneId: outputOf(d, "regionalZoneId") });
    });
  });

  describe(`${stack}: WAF ${config.waf ? "on" : "off"}`, () => {
    const rule = (acl: Recorded, name: string) => {
      const found = (acl.inputs["rules"] as ResourceInputs[]).find((r) => r["name"] === name);
      expect(found, `${acl.urn}: no rule ${name}`).toBeDefined();
      return found as ResourceInputs;
    };

    it(config.waf ? "one REGIONAL web ACL associated with this stage's ARN" : "no web ACL, no association", () => {
      if (!config.waf) {
        expect(ofType(T.webAcl).map((r) => r.urn)).toEqual([]);
        return expect(ofType(T.webAclAssociation).map((r) => r.urn)).toEqual([]);
      }
      const acl = one(T.webAcl);
      expect(acl.inputs["scope"]).toBe("REGIONAL");
      expect(acl.inputs["defaultAction"]).toEqual({ allow: {} });
      const association = one(T.webAclAssociation);
      expect(association.inputs["webAclArn"]).toBe(outputOf(acl, "arn"));
      expect(association.inputs["resourceArn"]).toBe(`arn:aws:apigateway:${REGION}::/restapis/${idOf(one(T.restApi))}/stages/${config.stageName}`);
    });

    if (!config.waf) return;

    it("npm run cost prices exactly this web ACL's rules", () => {
      expect((one(T.webAcl).inputs["rules"] as unknown[]).length).toBe(WAF_RULE_COUNT);
    });

    it("the AWS managed IP-reputation and known-bad-inputs rule groups, not overridden to count", () => {
      const acl = one(T.webAcl);
      for (const group of ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesKnownBadInputsRuleSet"]) {
        expect(MANAGED_RULE_GROUPS).toContain(group);
        const r = rule(acl, group);
        expect(r["statement"], group).toEqual({ managedRuleGroupStatement: { vendorName: "AWS", name: group } });
        expect(r["overrideAction"], group).toEqual({ none: {} });
      }
    });

    it("a rate-based rule per client IP and one keyed on the Authorization header, limits and window from config", () => {
      const acl = one(T.webAcl);
      const perIp = rule(acl, RATE_RULES.perIp)["statement"]["rateBasedStatement"];
      expect(perIp).toEqual({ aggregateKeyType: "IP", limit: config.wafIpRateLimit, evaluationWindowSec: config.wafEvaluationWindowSeconds });
      const perToken = rule(acl, RATE_RULES.perToken)["statement"]["rateBasedStatement"];
      expect(perToken).toEqual({
        aggregateKeyType: "CUSTOM_KEYS",
        limit: config.wafTokenRateLimit,
        evaluationWindowSec: config.wafEvaluationWindowSeconds,
        customKeys: [{ header: { name: "Authorization", textTransformations: [{ priority: 0, type: "NONE" }] } }],
      });
    });

    it("rate-limited requests are blocked with 429 and the API's JSON error body (code throttled)", () => {
      const acl = one(T.webAcl);
      const bodies = new Map((acl.inputs["customResponseBodies"] as Record<string, string>[]).map((b) => [b["key"], b]));
      for (const name of Object.values(RATE_RULES)) {
        const response = rule(acl, name)["action"]["block"]["customResponse"];
        expect(response["responseCode"], name).toBe(429);
        expect(response["responseHeaders"], name).toEqual([{ name: "Retry-After", value: String(config.wafEvaluationWindowSeconds) }]);
        const body = bodies.get(response["customResponseBodyKey"]);
        expect(body, `${name}: no custom response body ${response["customResponseBodyKey"]}`).toBeDefined();
        expect(body!["contentType"]).toBe("APPLICATION_JSON");
        const parsed: unknown = JSON.parse(body!["content"]!);
        expect(isErrorBody(parsed), body!["content"]).toBe(true);
        expect((parsed as { error: { code: string } }).error.code).toBe("throttled");
        expect(errorStatus.throttled).toBe(response["responseCode"]);
      }
    });

    it("metrics and sampled requests on for the web ACL and every rule, rules in distinct priorities", () => {
      const acl = one(T.webAcl);
      const rules = acl.inputs["rules"] as ResourceInputs[];
      for (const v of [acl.inputs["visibilityConfig"], ...rules.map((r) => r["visibilityConfig"])]) {
        expect(v).toMatchObject({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true });
      }
      expect(acl.inputs["visibilityConfig"].metricName).toBe(acl.inputs["name"]);
      expect(new Set(rules.map((r) => r["priority"])).size).toBe(rules.length);
    });
  });
}
