import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { CORS_ALLOW_HEADERS, CORS_EXPOSE_HEADERS } from "../../../contract/cors";

/**
 * CORS headers on the service's own responses for the configured origins. In AWS the preflight
 * (OPTIONS) is the gateway's MOCK integration; the actual responses come through HTTP_PROXY
 * unchanged, so `Access-Control-Allow-Origin` on them must come from here.
 */
export function corsFor(origins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(origins);
  return cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowHeaders: [...CORS_ALLOW_HEADERS],
    allowMethods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"],
    exposeHeaders: [...CORS_EXPOSE_HEADERS],
    maxAge: 600,
  });
}
