import type { Context } from "hono";
import type { ServerResponse } from "node:http";
import { exportFileName, type AccountDeletionPending } from "../../../contract/account";
import { meFromClaims } from "../../../contract/claims";
import type { AppEnv } from "../app-env";
import type { Clock } from "../clock";
import type { Logger } from "../logger";
import type { NoteStore } from "../notes/store";
import type { AccountDeletion } from "./deletion";
import { exportStream } from "./export-stream";

export type AccountRouteId = "deleteMe" | "exportMe";
type Handler = (c: Context<AppEnv>) => Promise<Response>;

/**
 * Notes per page of the export. A page of long multi-byte bodies passes DynamoDB's 1 MB cut: the
 * store fills it with a second Query, and the export pages until the store says no note follows.
 */
export const EXPORT_PAGE_SIZE = 100;

export interface AccountHandlerDeps {
  readonly deletion: AccountDeletion;
  readonly store: NoteStore;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** Store, account and user-directory errors are not caught here: onError answers them (http/error-map.ts). */
export function accountHandlers(deps: AccountHandlerDeps): Record<AccountRouteId, Handler> {
  const { deletion, store, clock, logger } = deps;
  return {
    async deleteMe(c) {
      const { sub, username } = c.get("claims");
      // AdminDeleteUser takes the username (`cognito:username`); for a local user the sub names it too.
      const outcome = await deletion.delete(sub, username ?? sub);
      if (outcome.kind === "deleted") return c.body(null, 204);
      const body: AccountDeletionPending = { status: "deleting", message: "Account deletion is under way: repeat DELETE /me until it answers 204" };
      return c.json(body, 202, { "Retry-After": String(outcome.retryAfterSeconds) });
    },

    async exportMe(c) {
      const claims = c.get("claims");
      const exportedAt = new Date(clock.now()).toISOString();
      // Before the first byte: a failure is an ordinary error response (503 the client can retry, …).
      const first = await store.list(claims.sub, EXPORT_PAGE_SIZE, undefined);
      const body = exportStream({
        exportedAt,
        profile: meFromClaims(claims),
        source: { first, next: (after) => store.list(claims.sub, EXPORT_PAGE_SIZE, after) },
        onFailure(err, controller) {
          logger.warn({ err, requestId: c.get("requestId"), sub: claims.sub }, "export aborted after the first byte");
          abortDownload(c, controller, err);
        },
      });
      return c.body(body, 200, {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": `attachment; filename="${exportFileName(exportedAt)}"`,
        // Personal data: no cache keeps a copy.
        "Cache-Control": "no-store",
      });
    },
  };
}

/**
 * Ends a download that cannot be completed so that the client sees a failed transfer (a chunked
 * response without its last chunk), never a short but valid document. On Node, destroying the
 * socket does that without @hono/node-server printing the stream error to stderr; elsewhere
 * (app.request in tests) the body stream is errored.
 */
function abortDownload(c: Context<AppEnv>, controller: ReadableStreamDefaultController<Uint8Array>, err: unknown): void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing) outgoing.destroy();
  else controller.error(err);
}
