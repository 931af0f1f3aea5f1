/**
 * WAF section of the stack config: `waf` (a web ACL on the stage), and the two rate-based rules'
 * limits — requests per client IP and per `Authorization` header value (one token = one session)
 * within `wafEvaluationWindowSeconds`. Ranges are AWS WAF's own (WAFV2 API `RateLimit`: 10 to
 * 2 000 000 000; evaluation window 60, 120, 300 or 600 s — checked 2025 against the WAF developer
 * guide, "Rate-based rule high-level settings").
 */
import type { ConfigReader } from "./reader";

export const WAF_RATE_LIMIT_MIN = 10;
export const WAF_RATE_LIMIT_MAX = 2_000_000_000;
export const WAF_EVALUATION_WINDOWS = [60, 120, 300, 600] as const;
export type WafEvaluationWindow = (typeof WAF_EVALUATION_WINDOWS)[number];

export interface WafConfig {
  /** A REGIONAL web ACL associated with the stage. */
  readonly waf: boolean;
  /** Most requests one client IP may send per window before WAF answers 429. */
  readonly wafIpRateLimit: number;
  /** Most requests one `Authorization` value (one id token) may send per window. */
  readonly wafTokenRateLimit: number;
  readonly wafEvaluationWindowSeconds: WafEvaluationWindow;
}

export function readWafConfig(r: ConfigReader): WafConfig {
  const waf = r.bool("waf", true);
  // Per IP is generous: mobile carriers put many users behind one address (CGNAT).
  const wafIpRateLimit = r.int("wafIpRateLimit", WAF_RATE_LIMIT_MIN, WAF_RATE_LIMIT_MAX, 6000);
  const wafTokenRateLimit = r.int("wafTokenRateLimit", WAF_RATE_LIMIT_MIN, WAF_RATE_LIMIT_MAX, 1500);
  const window = r.int("wafEvaluationWindowSeconds", 1, 600, 300);
  const allowed = (WAF_EVALUATION_WINDOWS as readonly number[]).includes(window);
  if (!allowed) r.fail("wafEvaluationWindowSeconds", r.value("wafEvaluationWindowSeconds"), WAF_EVALUATION_WINDOWS.join(" | "));
  return { waf, wafIpRateLimit, wafTokenRateLimit, wafEvaluationWindowSeconds: allowed ? (window as WafEvaluationWindow) : 300 };
}
