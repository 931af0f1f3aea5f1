/**
 * The API Gateway stage name, as infra's config and the service's env both validate it.
 *
 * Whether API Gateway puts the stage in the path it sends to a private (VPC link) integration is
 * disputed (docs/architecture.md#aws-facts, docs/deploy.md#stage-prefix-what-path-does-the-service-receive), so the service accepts `/<stage>/notes` as `/notes`. That only
 * works if the stage name can never be mistaken for the API's own first segment: a stage called
 * `notes` would turn `/notes/{noteId}` into `/{noteId}`. Those names are refused on both sides.
 */
import { HEALTH_PATH, routes, type Route } from "./routes";

/** API Gateway's rule for stage names: letters, digits, `-` and `_`, at most 128 characters. */
export const STAGE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/** The first path segments of the routes and of `/health`: names a stage must not have. */
export function reservedStageNames(table: readonly Route[] = routes): string[] {
  const first = (path: string) => path.split("/")[1] ?? "";
  return [...new Set([...table.map((r) => first(r.path)), first(HEALTH_PATH)])].filter(Boolean).sort();
}

/** Why `name` cannot be a stage name, or undefined when it can. */
export function stageNameProblem(name: string): string | undefined {
  if (!STAGE_NAME_PATTERN.test(name)) return "1..128 letters, digits, '-' or '_'";
  if (reservedStageNames().includes(name)) {
    return `not a first path segment of the API (${reservedStageNames().join(", ")}): the service strips a leading /<stage> from paths`;
  }
  return undefined;
}
