import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ErrorCode } from "../../../contract/error-codes";
import { errorBody } from "../../../contract/errors";
import type { Logger } from "../logger";
import { apiErrorOf } from "./error-map";

/** Statuses Hono's own middleware may throw, mapped to the contract's codes. */
const codeByStatus: Readonly<Record<number, ErrorCode>> = {
  400: "validation_failed",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/**
 * The one place exceptions become responses, the same on every route: ApiErrors and the typed
 * errors of http/error-map.ts keep their status and code; anything else is logged with its stack
 * and answered 500 `internal` with no detail in the body.
 */
export function renderError(logger: Logger) {
  return function onError(err: Error, c: Context): Response {
    const known = apiErrorOf(err);
    if (known) {
      if (known.status >= 500) logger.warn({ err: known.cause ?? known, code: known.code }, "request failed");
      return c.json(errorBody(known.code, known.message), known.status, { ...known.headers });
    }
    if (err instanceof HTTPException && codeByStatus[err.status]) {
      const code = codeByStatus[err.status] as ErrorCode;
      return c.json(errorBody(code, err.message || code), err.status);
    }
    logger.error({ err }, "unhandled error");
    return c.json(errorBody("internal", "Internal error"), 500);
  };
}
