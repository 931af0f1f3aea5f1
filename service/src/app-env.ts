import type { HttpBindings } from "@hono/node-server";
import type { Claims } from "../../contract/claims";

/**
 * Node's own request and response (`c.env.incoming`, `c.env.outgoing`): @hono/node-server passes
 * them with every request the service serves (runtime/http-server.ts). Undefined when the app is
 * called in process (`app.request()` in tests), so readers fall back to the web Request and
 * Response (http/header.ts, http/json-body.ts).
 */
export type NodeBindings = HttpBindings | undefined;

/** What the Node fast paths need of a context: its bindings. */
export type NodeEnv = { Bindings: NodeBindings };

/** The app's Hono environment: the bindings, the caller's claims (set by the claims middleware) and the request id. */
export type AppEnv = { Bindings: NodeBindings; Variables: { claims: Claims; requestId: string } };
