/**
 * Waf: a REGIONAL web ACL on the API stage. AWS managed rules first (IP reputation, known bad
 * inputs), then two rate-based rules: per client IP, and per `Authorization` header value — one id
 * token is one user session, so one abusive client (or one leaked token) is cut off without using
 * up the stage-wide throttle for everyone. Rate-limited requests get 429 with the API's JSON error
 * body (a WAF custom response), not WAF's default 403.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { errorBody } from "../../contract/errors";
import { MANAGED_RULE_GROUPS, RATE_RULES } from "./waf-rules";
import type { WafEvaluationWindow } from "../config/waf";

export interface WafArgs {
  /** The web ACL's name and metric name (the dashboard's `WebACL` dimension). */
  webAclName: string;
  /** ARN of the API Gateway stage to protect (`arn:aws:apigateway:<region>::/restapis/<id>/stages/<stage>`). */
  stageArn: pulumi.Input<string>;
  /** Requests per evaluation window allowed from one client IP. */
  ipRateLimit: number;
  /** Requests per evaluation window allowed with one `Authorization` value. */
  tokenRateLimit: number;
  evaluationWindowSeconds: WafEvaluationWindow;
}

export { MANAGED_RULE_GROUPS, RATE_RULES };

/** Custom response bodies: the API's error body, one message per rule so a 429 says which limit. */
export const WAF_RESPONSE_BODIES = {
  [RATE_RULES.perIp]: errorBody("throttled", "Too many requests from this network address; slow down and retry later"),
  [RATE_RULES.perToken]: errorBody("throttled", "Too many requests with this session's token; slow down and retry later"),
} as const;

/** The HTTP status WAF answers a rate-limited request with. */
export const WAF_THROTTLED_STATUS = 429;

export class Waf extends pulumi.ComponentResource {
  readonly webAcl: aws.wafv2.WebAcl;
  readonly association: aws.wafv2.WebAclAssociation;
  /** Metric names of every rule (the dashboard graphs their BlockedRequests). */
  readonly ruleMetricNames: readonly string[];

  constructor(name: string, args: WafArgs, opts?: pulumi.ComponentResourceOptions) {
    super("user-aware-api:aws:Waf", name, {}, opts);
    const visibility = (metricName: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName });

    const managed = MANAGED_RULE_GROUPS.map((group) => ({
      name: group,
      overrideAction: { none: {} },
      statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
      visibilityConfig: visibility(group),
    }));
    // Blocked by a rate rule: 429 + the JSON error body; Retry-After is one window, after which the
    // count has certainly fallen below the limit. WAF sends custom response headers as named.
    const throttled = (ruleName: string) => ({
      block: {
        customResponse: {
          responseCode: WAF_THROTTLED_STATUS,
          customResponseBodyKey: ruleName,
          responseHeaders: [{ name: "Retry-After", value: String(args.evaluationWindowSeconds) }],
        },
      },
    });
    const rateRule = (ruleName: string, limit: number, key: "IP" | "Authorization") => ({
      name: ruleName,
      action: throttled(ruleName),
      statement: {
        rateBasedStatement:
          key === "IP"
            ? { aggregateKeyType: "IP", limit, evaluationWindowSec: args.evaluationWindowSeconds }
            : {
                // Requests without the header are not counted here (the per-IP rule still counts them,
                // and the authorizer refuses them).
                aggregateKeyType: "CUSTOM_KEYS",
                limit,
                evaluationWindowSec: args.evaluationWindowSeconds,
                customKeys: [{ header: { name: "Authorization", textTransformations: [{ priority: 0, type: "NONE" }] } }],
              },
      },
      visibilityConfig: visibility(ruleName),
    });
    const [firstManaged, ...otherManaged] = managed;
    const rules = [
      ...(firstManaged ? [firstManaged] : []),
      rateRule(RATE_RULES.perIp, args.ipRateLimit, "IP"),
      rateRule(RATE_RULES.perToken, args.tokenRateLimit, "Authorization"),
      ...otherManaged,
    ].map((rule, priority) => ({ ...rule, priority }));

    this.webAcl = new aws.wafv2.WebAcl(
      `${name}-acl`,
      {
        name: args.webAclName,
        description: "user-aware-api stage: managed IP reputation and bad-input rules, rate limits per IP and per token",
        scope: "REGIONAL",
        defaultAction: { allow: {} },
        customResponseBodies: Object.entries(WAF_RESPONSE_BODIES).map(([key, body]) => ({
          key,
          contentType: "APPLICATION_JSON",
          content: JSON.stringify(body),
        })),
        rules,
        visibilityConfig: visibility(args.webAclName),
      },
      { parent: this },
    );
    this.ruleMetricNames = rules.map((r) => r.visibilityConfig.metricName);

    this.association = new aws.wafv2.WebAclAssociation(
      `${name}-association`,
      {
        resourceArn: args.stageArn,
        webAclArn: this.webAcl.arn,
      },
      { parent: this },
    );

    this.registerOutputs({ webAclArn: this.webAcl.arn });
  }
}
