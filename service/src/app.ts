import { Hono } from "hono";
import { meFromClaims, type Claims, type MeResponse } from "../../contract/claims";
import { errorBody } from "../../contract/errors";
import { HEALTH_PATH, routes, toColonPath, type RouteId } from "../../contract/routes";
import type { AccountDeps } from "./account/account";
import { accountHandlers } from "./account/handlers";
import type { AppEnv } from "./app-env";
import { claims, type ClaimsOptions } from "./auth/claims";
import { systemClock, type Clock } from "./clock";
import { corsFor } from "./http/cors";
import { limitBody } from "./http/json-body";
import { renderError } from "./http/on-error";
import { requestLog } from "./http/request-log";
import { stagePathReader } from "./http/stage-prefix";
import type { Logger } from "./logger";
import { noteHandlers, type Handler } from "./notes/handlers";
import type { NoteStore } from "./notes/store";

/** Whether the process can serve: false while starting (JWKS not loaded) or draining. */
export interface Readiness {
  isReady(): boolean;
}

export interface AppDeps {
  readonly store: NoteStore;
  /** DELETE /me and the write deadline (account/account.ts dynamoAccount). */
  readonly account: AccountDeps;
  /** Issuers, client id and the signature verifier (null in decode mode). */
  readonly auth: ClaimsOptions;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly readiness?: Readiness;
  /** Browser origins allowed to read responses (CORS); empty or absent: no CORS headers. */
  readonly corsAllowedOrigins?: readonly string[];
  /**
   * The API Gateway stage: `/<stageName>/…` routes exactly as `/…` (API Gateway may or may not put
   * the stage in the path it sends; see http/stage-prefix.ts). Absent: only unprefixed paths.
   */
  readonly stageName?: string;
}

/** `/me` bodies per (cached, immutable) claims object: formatting two dates was 2.5% of /me's CPU. */
const meBodies = new WeakMap<Claims, MeResponse>();
function meOf(claims: Claims): MeResponse {
  let me = meBodies.get(claims);
  if (!me) {
    me = meFromClaims(claims);
    meBodies.set(claims, me);
  }
  return me;
}

/** Builds the Hono app from its dependencies; no I/O here or at import. */
export function createApp(deps: AppDeps): Hono<AppEnv> {
  const clock = deps.clock ?? systemClock;
  const readiness = deps.readiness ?? { isReady: () => true };
  const app = new Hono<AppEnv>(deps.stageName ? { getPath: stagePathReader(deps.stageName, deps.logger) } : {});

  app.use(requestLog(deps.logger));
  if (deps.corsAllowedOrigins && deps.corsAllowedOrigins.length > 0) app.use(corsFor(deps.corsAllowedOrigins));

  // For the load balancer only: the gateway routes nothing here.
  app.get(HEALTH_PATH, (c) => (readiness.isReady() ? c.json({ status: "ok" }) : c.json(errorBody("unavailable", "Not ready"), 503, { "Retry-After": "1" })));

  const authenticate = claims(deps.auth, clock);
  const notes = noteHandlers(deps.store, clock, deps.account.writeDeadlineMs);
  const account = accountHandlers({ deletion: deps.account.deletion, store: deps.store, clock, logger: deps.logger });
  const handlers: Record<RouteId, Handler> = {
    getMe: (c) => c.json(meOf(c.get("claims"))),
    ...notes,
    ...account,
  };
  for (const route of routes) {
    const handle: Handler = (c) => handlers[route.id](c);
    // Only routes with a body get the limit: touching the body of a GET makes @hono/node-server
    // build a full web Request (and an AbortController) per request — a hot spot of /me.
    if (route.method === "POST" || route.method === "PUT") {
      app.on(route.method, toColonPath(route.path), authenticate, limitBody, handle);
    } else {
      app.on(route.method, toColonPath(route.path), authenticate, handle);
    }
  }

  app.notFound((c) => c.json(errorBody("not_found", "No route for this method and path"), 404));
  app.onError(renderError(deps.logger));
  return app;
}
