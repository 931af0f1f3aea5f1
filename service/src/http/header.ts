import type { Context } from "hono";
import type { NodeEnv } from "../app-env";

/**
 * A request header, read from Node's own parsed headers when the app runs on @hono/node-server
 * (`c.env.incoming`), else from the web Request. Why: the first `c.req.header()` makes
 * @hono/node-server build a web `Headers` from every raw header, which was the largest
 * remaining cost of /me after the response write. Same value either way (a single header;
 * Node joins duplicates with ", " as `Headers.get` does — except set-cookie, never read here).
 */
export function requestHeader<E extends NodeEnv>(c: Context<E>, lowerCaseName: string): string | undefined {
  const incoming = c.env?.incoming;
  if (incoming) {
    const value = incoming.headers[lowerCaseName];
    return Array.isArray(value) ? value.join(", ") : value;
  }
  return c.req.header(lowerCaseName);
}

/**
 * Sets a response header on Node's response when the app runs on @hono/node-server (it merges
 * headers set there into the response it writes), else on Hono's. Why: the first `c.header()` makes
 * Hono keep a web `Headers` object for the response, which @hono/node-server must then convert
 * back to Node's form — for the request id on every response, the largest avoidable cost left
 * in /me's profile (undici's Headers, `buildOutgoingHttpHeaders`).
 */
export function setResponseHeader<E extends NodeEnv>(c: Context<E>, lowerCaseName: string, value: string): void {
  const outgoing = c.env?.outgoing;
  if (outgoing) outgoing.setHeader(lowerCaseName, value);
  else c.header(lowerCaseName, value);
}
