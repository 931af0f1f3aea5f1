/**
 * The web ACL's rule set as plain data (no Pulumi import): infra/edge/waf.ts builds the rules from it,
 * and `npm run cost` prices one rule-month per entry.
 */

/** Managed rule groups (vendor AWS), in evaluation order. */
export const MANAGED_RULE_GROUPS = ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesKnownBadInputsRuleSet"] as const;

/** Rule (and metric) names of the rate-based rules. */
export const RATE_RULES = { perIp: "rate-per-ip", perToken: "rate-per-token" } as const;

/** Rules in the web ACL: each managed group and each rate rule is one (WAF bills per rule). */
export const WAF_RULE_COUNT = MANAGED_RULE_GROUPS.length + Object.keys(RATE_RULES).length;
