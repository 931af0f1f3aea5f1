/**
 * The account lifecycle as an app does it: DELETE /me repeated until 204 (202 and 503 say "repeat
 * after Retry-After"), and GET /me/export read as a stream. Used by the CLI and the smoke suite.
 */
import { apiRequest, expectOk, type ApiResponse } from "./api";

export interface DeleteAccountOptions {
  /** Give up after this many requests. Default 8. */
  readonly attempts?: number;
  /** Longest wait honoured between two requests, in seconds. Default 30. */
  readonly maxRetryAfterSeconds?: number;
  /** Called before each wait (for a progress line). */
  readonly onWait?: (status: number, seconds: number) => void;
}

/**
 * DELETE /me until it answers 204. The deletion resumes where the last request stopped, so
 * repeating is always safe. Throws ApiError for an answer that is neither 204 nor "repeat".
 */
export async function deleteAccount(apiUrl: string, idToken: string, options: DeleteAccountOptions = {}): Promise<ApiResponse> {
  const attempts = options.attempts ?? 8;
  let last: ApiResponse | undefined;
  for (let i = 0; i < attempts; i++) {
    last = await apiRequest(apiUrl, "DELETE", "/me", { authorization: idToken });
    if (last.status !== 202 && last.status !== 503) return expectOk(last);
    const seconds = Math.min(options.maxRetryAfterSeconds ?? 30, retryAfterSeconds(last));
    options.onWait?.(last.status, seconds);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
  return expectOk(last as ApiResponse);
}

/** GET /me/export as a Response whose body is the document's stream (not read yet). */
export async function exportAccount(apiUrl: string, idToken: string): Promise<Response> {
  const res = await fetch(`${apiUrl.replace(/\/+$/, "")}/me/export`, { headers: { authorization: idToken, accept: "application/json" } });
  if (res.status !== 200) {
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    expectOk({ status: res.status, headers: res.headers, body });
  }
  return res;
}

function retryAfterSeconds(res: ApiResponse): number {
  const value = Number(res.headers.get("retry-after"));
  return Number.isFinite(value) && value >= 0 ? value : 1;
}
