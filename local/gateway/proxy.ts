/**
 * The HTTP_PROXY integration: same method, path and query, the body streamed, client headers
 * passed through (hop-by-hop ones dropped), `Authorization` as is, `x-request-id` set to the
 * gateway's request id (integration.request.header.x-request-id ← context.requestId).
 */
import { request, type IncomingHttpHeaders, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from "node:http";
import { integrationMessages, sendGatewayResponse } from "./responses";

/** RFC 9110 §7.6.1 connection-specific headers, plus Host (set for the upstream). */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
]);

/** API Gateway's integration timeout (29 s by default). */
export const INTEGRATION_TIMEOUT_MS = 29_000;

class TimeoutError extends Error {
  override readonly name = "TimeoutError";
}

function passThrough(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  const listed = String(headers.connection ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.includes(name)) continue;
    out[name] = value;
  }
  return out;
}

export interface ProxyTarget {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
  /** Put in front of the request's path: `""`, or `/<stage>` to send the stage-prefixed form. */
  readonly pathPrefix: string;
}

/** Forward one request; resolves with the status sent to the client. */
export function proxyRequest(req: IncomingMessage, res: ServerResponse, target: ProxyTarget, requestId: string): Promise<number> {
  return new Promise((resolve) => {
    const headers = passThrough(req.headers);
    headers.host = `${target.host}:${target.port}`;
    headers["x-request-id"] = requestId;
    const forwardedFor = req.headers["x-forwarded-for"];
    headers["x-forwarded-for"] = [forwardedFor, req.socket.remoteAddress].filter(Boolean).join(", ");
    headers["x-forwarded-proto"] = "http";

    const upstream = request({ host: target.host, port: target.port, method: req.method, path: `${target.pathPrefix}${req.url ?? "/"}`, headers }, (up) => {
      const responseHeaders = passThrough(up.headers);
      responseHeaders["x-amzn-requestid"] = requestId;
      res.writeHead(up.statusCode ?? 502, responseHeaders);
      up.pipe(res);
      up.on("end", () => resolve(up.statusCode ?? 502));
      up.on("error", () => {
        res.destroy();
        resolve(up.statusCode ?? 502);
      });
    });
    upstream.setTimeout(target.timeoutMs, () => upstream.destroy(new TimeoutError()));
    upstream.on("error", (err) => {
      req.unpipe(upstream);
      req.resume();
      if (res.headersSent) {
        res.destroy();
        resolve(502);
        return;
      }
      // Service unreachable or too slow: INTEGRATION_FAILURE / INTEGRATION_TIMEOUT.
      const status =
        err instanceof TimeoutError
          ? sendGatewayResponse(res, "INTEGRATION_TIMEOUT", integrationMessages.timeout, requestId)
          : sendGatewayResponse(res, "INTEGRATION_FAILURE", integrationMessages.failure, requestId);
      resolve(status);
    });
    req.pipe(upstream);
  });
}
