/**
 * What the gateway itself answers (before or instead of the service), as API Gateway gateway
 * responses. infra/ declares one `aws.apigateway.Response` per entry; the local gateway answers
 * with the same status and the same body, so clients see one error shape everywhere.
 */
import type { ErrorCode } from "./error-codes";

export type GatewayResponseType =
  | "UNAUTHORIZED"
  | "ACCESS_DENIED"
  | "MISSING_AUTHENTICATION_TOKEN"
  | "THROTTLED"
  | "QUOTA_EXCEEDED"
  | "REQUEST_TOO_LARGE"
  | "INTEGRATION_FAILURE"
  | "INTEGRATION_TIMEOUT"
  | "WAF_FILTERED"
  | "DEFAULT_4XX"
  | "DEFAULT_5XX";

export interface GatewayResponseSpec {
  readonly type: GatewayResponseType;
  /** Status to answer with; undefined keeps the status API Gateway chose (DEFAULT_4XX/5XX). */
  readonly statusCode: number | undefined;
  readonly code: ErrorCode;
}

export const gatewayResponses: readonly GatewayResponseSpec[] = [
  // Missing, invalid or expired id token (Cognito authorizer).
  { type: "UNAUTHORIZED", statusCode: 401, code: "unauthorized" },
  { type: "ACCESS_DENIED", statusCode: 403, code: "forbidden" },
  // Unknown path or method. AWS's default is 403; we answer 404 so an app developer's typo
  // reads as what it is. Every real route has an authorizer, so this never hides a 401.
  { type: "MISSING_AUTHENTICATION_TOKEN", statusCode: 404, code: "not_found" },
  { type: "THROTTLED", statusCode: 429, code: "throttled" },
  { type: "QUOTA_EXCEEDED", statusCode: 429, code: "throttled" },
  { type: "REQUEST_TOO_LARGE", statusCode: 413, code: "payload_too_large" },
  { type: "INTEGRATION_FAILURE", statusCode: 503, code: "unavailable" },
  { type: "INTEGRATION_TIMEOUT", statusCode: 504, code: "unavailable" },
  // Blocked by a WAF rule without a custom response (the managed rule groups); WAF's rate rules
  // answer 429 themselves, and a WAF custom response takes precedence over gateway responses.
  { type: "WAF_FILTERED", statusCode: 403, code: "forbidden" },
  { type: "DEFAULT_4XX", statusCode: undefined, code: "validation_failed" },
  { type: "DEFAULT_5XX", statusCode: undefined, code: "internal" },
];

/** The messages API Gateway puts in `$context.error.message` for the cases the local gateway emulates. */
export const gatewayMessages = {
  unauthorized: "Unauthorized",
  expired: "The incoming token has expired",
  missingAuthenticationToken: "Missing Authentication Token",
  throttled: "Too Many Requests",
} as const;

/**
 * The response template for `application/json`. `$context.error.messageString` is the message
 * already JSON-quoted by API Gateway, so the body is valid JSON whatever the message holds.
 */
export function gatewayResponseTemplate(spec: GatewayResponseSpec): string {
  return `{"error":{"code":"${spec.code}","message":$context.error.messageString}}`;
}

export function gatewayResponseFor(type: GatewayResponseType): GatewayResponseSpec {
  const spec = gatewayResponses.find((r) => r.type === type);
  if (!spec) throw new Error(`No gateway response for ${type}`);
  return spec;
}
