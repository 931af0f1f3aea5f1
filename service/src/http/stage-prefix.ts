import { getPath } from "hono/utils/url";
import { HEALTH_PATH } from "../../../contract/routes";
import type { Logger } from "../logger";

/** How a request's path arrived: with the stage in front (`/dev/notes`) or without (`/notes`). */
export type PathForm = "stage-prefixed" | "unprefixed";

/** The message of the once-per-form log line (docs/deploy.md tells operators to search for it). */
export const PATH_FORM_MESSAGE = "backend path form";

/**
 * Hono's `getPath` for a service behind an API Gateway stage: the path as Hono's default reads it,
 * minus one leading `/<stageName>` segment when present, so `/dev/notes/1` routes as `/notes/1`.
 * Only that one segment and only this stage: `/dev/dev/notes` stays `/dev/notes` (404), `/prod/notes`
 * stays as is (404), `/devnotes` is not a prefix. `/<stage>/health` answers as `/health` (one rule
 * for every path; the gateway has no route to either, the load balancer calls `/health`).
 *
 * The first request of each form (health checks aside) logs one `info` line saying which form came,
 * so the first deploy settles whether API Gateway sends the stage (docs/deploy.md). Per-request
 * cost: Hono's own path read plus a `startsWith`; no regex, no allocation when unprefixed.
 */
export function stagePathReader(stageName: string, logger: Logger): (request: Request) => string {
  const prefix = `/${stageName}`;
  const seen: Record<PathForm, boolean> = { "stage-prefixed": false, unprefixed: false };

  function firstOfForm(form: PathForm, path: string): void {
    if (path === HEALTH_PATH) return;
    seen[form] = true;
    logger.info({ pathForm: form, stageName }, PATH_FORM_MESSAGE);
  }

  return function stagePath(request: Request): string {
    const path = getPath(request);
    // `/dev` followed by `/` or nothing: the stage segment, not `/devnotes`.
    if (path.startsWith(prefix) && (path.length === prefix.length || path.charCodeAt(prefix.length) === 47)) {
      const rest = path.length === prefix.length ? "/" : path.slice(prefix.length);
      if (!seen["stage-prefixed"]) firstOfForm("stage-prefixed", rest);
      return rest;
    }
    if (!seen.unprefixed) firstOfForm("unprefixed", path);
    return path;
  };
}
