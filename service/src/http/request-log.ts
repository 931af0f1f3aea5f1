import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { Claims } from "../../../contract/claims";
import type { AppEnv } from "../app-env";
import type { Logger } from "../logger";
import { apiErrorOf } from "./error-map";
import { requestHeader, setResponseHeader } from "./header";

/** A gateway request id we echo; anything else (or nothing) gets a fresh one. */
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * One JSON log line per request: method, route, status, duration, request id and the caller's
 * sub — never a header value, so never a token. The request id (API Gateway's `context.requestId`
 * mapped to `x-request-id`, or a generated one) is echoed in the response.
 */
export function requestLog(logger: Logger): MiddlewareHandler<AppEnv> {
  return async function requestLogMiddleware(c, next) {
    const started = performance.now();
    const incoming = requestHeader(c, "x-request-id");
    const requestId = incoming !== undefined && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set("requestId", requestId);
    // Set before the handler builds the response: editing a finished response's headers makes
    // @hono/node-server materialise a full web Response (a hot spot in the /me profile).
    setResponseHeader(c, "x-request-id", requestId);
    await next();
    const err = c.error;
    const answered = err === undefined ? undefined : apiErrorOf(err);
    logger.info(
      {
        requestId,
        method: c.req.method,
        route: c.req.routePath,
        status: c.res.status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        // Unset when the request was refused before the claims middleware ran.
        sub: (c.get("claims") as Claims | undefined)?.sub,
        ...(answered ? { error: answered.code, reason: answered.reason } : err ? { error: "internal" } : {}),
      },
      "request",
    );
  };
}
