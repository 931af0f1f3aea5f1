import { HTTPException } from "hono/http-exception";
import { errorStatus, type ErrorCode } from "../../../contract/error-codes";

/**
 * An error meant for the client: its `code` (and only that plus `message`) becomes the contract's
 * JSON error body in `onError`. `reason` is for the log line, never for the body.
 */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  readonly reason: string | undefined;
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: ErrorCode, message: string, options: { reason?: string; headers?: Record<string, string>; cause?: unknown } = {}) {
    super(errorStatus[code] as ConstructorParameters<typeof HTTPException>[0], { message, cause: options.cause });
    this.name = "ApiError";
    this.code = code;
    this.reason = options.reason;
    this.headers = { ...options.headers };
  }
}
