/**
 * The route table: the single source every part reads.
 * infra/ creates API Gateway resources, methods and integrations from it, the service mounts a
 * handler per route id, the local gateway routes by it, and tests iterate over it.
 */

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";

export interface Route {
  /** Stable identifier; the service maps it to a handler, infra to resource names. */
  readonly id: RouteId;
  readonly method: HttpMethod;
  /** API Gateway path syntax: `{name}` marks a path parameter. */
  readonly path: string;
  /** The path parameters, in order, as named in `path`. */
  readonly pathParams: readonly string[];
  /**
   * The response is streamed page by page and may be large (GET /me/export): the gateway must pass
   * it through as it comes (API Gateway `responseTransferMode: STREAM`), not buffer it.
   */
  readonly streamed?: true;
}

export type RouteId = "getMe" | "listNotes" | "createNote" | "getNote" | "updateNote" | "deleteNote" | "deleteMe" | "exportMe";

export const routes: readonly Route[] = [
  { id: "getMe", method: "GET", path: "/me", pathParams: [] },
  { id: "listNotes", method: "GET", path: "/notes", pathParams: [] },
  { id: "createNote", method: "POST", path: "/notes", pathParams: [] },
  { id: "getNote", method: "GET", path: "/notes/{noteId}", pathParams: ["noteId"] },
  { id: "updateNote", method: "PUT", path: "/notes/{noteId}", pathParams: ["noteId"] },
  { id: "deleteNote", method: "DELETE", path: "/notes/{noteId}", pathParams: ["noteId"] },
  { id: "deleteMe", method: "DELETE", path: "/me", pathParams: [] },
  { id: "exportMe", method: "GET", path: "/me/export", pathParams: [], streamed: true },
];

/** Served by the service for the load balancer only; never routed through the gateway. */
export const HEALTH_PATH = "/health";

/** `/notes/{noteId}` → `/notes/:noteId` (Hono / path-to-regexp syntax). */
export function toColonPath(path: string): string {
  return path.replace(/\{([A-Za-z0-9_]+)\}/g, ":$1");
}

/** Every distinct path of the table, shortest first (parents before children). */
export function routePaths(table: readonly Route[] = routes): string[] {
  return [...new Set(table.map((r) => r.path))].sort((a, b) => a.split("/").length - b.split("/").length || a.localeCompare(b));
}

/**
 * Every resource API Gateway needs for the table, including intermediate ones
 * (`/notes` for `/notes/{noteId}` even if it had no method), parents first.
 */
export function resourcePaths(table: readonly Route[] = routes): string[] {
  const all = new Set<string>();
  for (const r of table) {
    const parts = r.path.split("/").filter(Boolean);
    for (let i = 1; i <= parts.length; i++) all.add(`/${parts.slice(0, i).join("/")}`);
  }
  return routePaths([...all].map((path) => ({ id: "getMe", method: "GET", path, pathParams: [] })));
}

export type RouteMatch =
  | { readonly kind: "route"; readonly route: Route; readonly params: Readonly<Record<string, string>> }
  /** Path or method unknown: API Gateway answers 403 MISSING_AUTHENTICATION_TOKEN. */
  | { readonly kind: "none" };

/**
 * Match a request as API Gateway does: a literal segment wins over a parameter, a parameter
 * matches exactly one non-empty segment, and a known path with an unknown method is no match.
 */
export function matchRoute(method: string, pathname: string, table: readonly Route[] = routes): RouteMatch {
  // A trailing slash is the same resource, as in API Gateway.
  const trimmed = pathname.length > 1 && pathname.endsWith("/") ? pathname.slice(0, -1) : pathname;
  const segments = trimmed.split("/").slice(1);
  let best: { route: Route; params: Record<string, string>; literals: number } | undefined;
  for (const route of table) {
    if (route.method !== method.toUpperCase()) continue;
    const parts = route.path.split("/").slice(1);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    let literals = 0;
    let ok = true;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] as string;
      const seg = segments[i] as string;
      const param = /^\{(.+)\}$/.exec(part);
      if (param) {
        if (seg === "") {
          ok = false;
          break;
        }
        params[param[1] as string] = safeDecode(seg);
      } else if (part === seg) {
        literals++;
      } else {
        ok = false;
        break;
      }
    }
    if (ok && (!best || literals > best.literals)) best = { route, params, literals };
  }
  return best ? { kind: "route", route: best.route, params: best.params } : { kind: "none" };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
