/** A thin HTTP client for the API: JSON in and out, every answer kept (status, headers, body). */
import { isErrorBody } from "../contract/errors";

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, or the raw text when the body is not JSON, or null when empty. */
  readonly body: unknown;
}

export interface RequestOptions {
  /** Authorization header value; omitted when undefined. */
  readonly authorization?: string;
  readonly json?: unknown;
  readonly headers?: Record<string, string>;
}

export class ApiError extends Error {
  override readonly name = "ApiError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(`HTTP ${status} ${code}: ${message}`);
  }
}

export async function apiRequest(apiUrl: string, method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> {
  const headers: Record<string, string> = { accept: "application/json", ...options.headers };
  if (options.authorization !== undefined) headers.authorization = options.authorization;
  let body: string | undefined;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  }
  const url = apiUrl.replace(/\/+$/, "") + path;
  const res = await fetch(url, { method, headers, body, signal: AbortSignal.timeout(30_000) });
  const text = await res.text();
  let parsed: unknown = null;
  if (text !== "") {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed };
}

/**
 * Where a `Location` header points, as a URL: relative references (the service sends `notes/<id>`)
 * resolve against the URL of the request that got them — `<apiUrl>/<path>` — the way a browser
 * would, whether `apiUrl` ends in a stage (`…/dev`) or is a custom domain's root.
 */
export function resolveLocation(apiUrl: string, requestPath: string, location: string): URL {
  return new URL(location, apiUrl.replace(/\/+$/, "") + requestPath);
}

/** Throw an ApiError for a non-2xx answer, naming the contract's error code and message. */
export function expectOk(res: ApiResponse): ApiResponse {
  if (res.status >= 200 && res.status < 300) return res;
  if (isErrorBody(res.body)) throw new ApiError(res.status, res.body.error.code, res.body.error.message);
  // API Gateway's own default body, if a gateway response is missing: {"message": "..."}
  const message =
    typeof res.body === "object" && res.body !== null && "message" in res.body ? String((res.body as { message: unknown }).message) : String(res.body ?? "");
  throw new ApiError(res.status, "http_error", message || "no body");
}
