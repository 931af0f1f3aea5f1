/**
 * The local gateway: API Gateway's request path in one node:http server. Order as in AWS:
 * throttle → route (contract/routes.ts matchRoute; no match = MISSING_AUTHENTICATION_TOKEN) →
 * Cognito authorizer (UNAUTHORIZED) → HTTP_PROXY integration to the service. Locally only, and
 * before all that, it can serve the API docs (docs.ts: /openapi.json, /docs).
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { gatewayMessages } from "../../contract/gateway-responses";
import { matchRoute, routes as contractRoutes, type Route } from "../../contract/routes";
import { listenOn, type PortSetting } from "../ports";
import type { Authorizer, DenyReason } from "./authorizer";
import type { DocsHandler } from "./docs";
import { INTEGRATION_TIMEOUT_MS, proxyRequest, type ProxyTarget } from "./proxy";
import { sendGatewayResponse } from "./responses";
import { createThrottle, type ThrottleSettings } from "./throttle";

export interface GatewayLogEntry {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly routeId: string | null;
  readonly status: number;
  /** Set when the authorizer refused the request. */
  readonly denyReason: DenyReason | null;
  readonly ms: number;
}

export interface GatewayOptions {
  /** The service behind the integration, e.g. http://127.0.0.1:8080 */
  readonly serviceUrl: string;
  readonly authorizer: Authorizer;
  /** Stage throttling; undefined = off. */
  readonly throttle?: ThrottleSettings;
  readonly routes?: readonly Route[];
  readonly integrationTimeoutMs?: number;
  /**
   * Send the service `/<stage>/notes` instead of `/notes`: the form AWS's private-integration docs
   * describe, which the deployed service must also accept (docs/deploy.md "Stage prefix").
   * Undefined: the path as the client sent it. The client-facing path never has a stage here.
   */
  readonly stagePrefix?: string;
  /** One call per request (access log). */
  readonly log?: (entry: GatewayLogEntry) => void;
  /** Serves /openapi.json and /docs (local only: the deployed API has no such routes). */
  readonly docs?: DocsHandler;
}

export type GatewayHandler = (req: IncomingMessage, res: ServerResponse) => void;

export function createGatewayHandler(options: GatewayOptions): GatewayHandler {
  const table = options.routes ?? contractRoutes;
  const service = new URL(options.serviceUrl);
  const target: ProxyTarget = {
    host: service.hostname,
    port: Number(service.port || 80),
    timeoutMs: options.integrationTimeoutMs ?? INTEGRATION_TIMEOUT_MS,
    pathPrefix: options.stagePrefix === undefined ? "" : `/${options.stagePrefix}`,
  };
  const throttle = options.throttle ? createThrottle(options.throttle) : undefined;
  const log = options.log ?? (() => undefined);

  return function gateway(req: IncomingMessage, res: ServerResponse): void {
    const started = Date.now();
    const requestId = randomUUID();
    const method = req.method ?? "GET";
    const path = new URL(req.url ?? "/", "http://gateway").pathname;
    const done = (status: number, routeId: string | null, denyReason: DenyReason | null): void =>
      log({ requestId, method, path, routeId, status, denyReason, ms: Date.now() - started });
    const refuse = (status: number, routeId: string | null, denyReason: DenyReason | null): void => {
      req.resume(); // discard any body
      done(status, routeId, denyReason);
    };

    // API docs (local gateway only)
    if (options.docs?.(req, res)) {
      done(200, null, null);
      return;
    }
    // Stage throttling
    if (throttle && !throttle.take()) {
      refuse(sendGatewayResponse(res, "THROTTLED", gatewayMessages.throttled, requestId), null, null);
      return;
    }
    // Unknown path or method
    const match = matchRoute(method, path, table);
    if (match.kind === "none") {
      refuse(sendGatewayResponse(res, "MISSING_AUTHENTICATION_TOKEN", gatewayMessages.missingAuthenticationToken, requestId), null, null);
      return;
    }
    // Cognito authorizer
    const verdict = options.authorizer.authorize(req.headers.authorization);
    if (!verdict.allow) {
      refuse(sendGatewayResponse(res, "UNAUTHORIZED", verdict.message, requestId), match.route.id, verdict.reason);
      return;
    }
    void proxyRequest(req, res, target, requestId).then((status) => done(status, match.route.id, null));
  };
}

export interface RunningGateway {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startGateway(options: GatewayOptions & { port: number; host: string; setting: PortSetting }): Promise<RunningGateway> {
  const server: Server = createServer(createGatewayHandler(options));
  const port = await listenOn(server, options.port, options.host, options.setting);
  return {
    url: `http://localhost:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
