/** me, notes list|add|get|edit|rm: the API calls, with the signed-in user's id token. */
import type { NoteList } from "../../contract/notes";
import { apiRequest, expectOk, type RequestOptions } from "../api";
import { createWithIdempotencyKey } from "../create-note";
import { currentSession } from "../session";
import { arg, printJson, UsageError, type CommandContext } from "./context";

async function call(ctx: CommandContext, method: string, path: string, options: Omit<RequestOptions, "authorization"> = {}) {
  const session = await currentSession(ctx.outputs, ctx.tokensDir);
  return expectOk(await apiRequest(ctx.outputs.apiUrl, method, path, { ...options, authorization: session.idToken }));
}

const notePath = (id: string): string => `/notes/${encodeURIComponent(id)}`;

export async function meCommand(ctx: CommandContext): Promise<void> {
  if (ctx.args.length > 0) throw new UsageError(`unknown command "me ${ctx.args[0]}" (npm run cli -- --help)`);
  printJson(ctx, (await call(ctx, "GET", "/me")).body);
}

export async function notesListCommand(ctx: CommandContext): Promise<void> {
  const query = new URLSearchParams();
  if (ctx.flags.limit !== undefined) query.set("limit", ctx.flags.limit);
  if (ctx.flags.cursor !== undefined) query.set("cursor", ctx.flags.cursor);
  const qs = query.size > 0 ? `?${query.toString()}` : "";
  const list = (await call(ctx, "GET", `/notes${qs}`)).body as NoteList;
  if (list.items.length === 0) ctx.print("(no notes)");
  for (const note of list.items) ctx.print(`${note.id}  v${note.version}  ${note.updatedAt}  ${note.title}`);
  // The next page as a command to paste: same page size, the new cursor.
  const limit = ctx.flags.limit === undefined ? "" : ` --limit ${ctx.flags.limit}`;
  if (list.nextCursor) ctx.print(`more: npm run cli -- notes list${limit} --cursor ${list.nextCursor}`);
}

export async function notesAddCommand(ctx: CommandContext): Promise<void> {
  const title = ctx.flags.title ?? arg(ctx, 0, "title", "notes add <title> [<body>]");
  const body = ctx.flags.body ?? ctx.args[1] ?? "";
  const session = await currentSession(ctx.outputs, ctx.tokensDir);
  // A fresh Idempotency-Key for this note, reused on each retry: a lost answer never makes a second note.
  const res = await createWithIdempotencyKey((headers) =>
    apiRequest(ctx.outputs.apiUrl, "POST", "/notes", { json: { title, body }, headers, authorization: session.idToken }),
  );
  printJson(ctx, expectOk(res).body);
}

export async function notesGetCommand(ctx: CommandContext): Promise<void> {
  const id = arg(ctx, 0, "noteId", "notes get <noteId>");
  printJson(ctx, (await call(ctx, "GET", notePath(id))).body);
}

/** Read the note for its ETag, then PUT with If-Match: a concurrent change is a 412, not a lost write. */
export async function notesEditCommand(ctx: CommandContext): Promise<void> {
  const id = arg(ctx, 0, "noteId", "notes edit <noteId> [--title <title>] [--body <body>]");
  if (ctx.flags.title === undefined && ctx.flags.body === undefined) throw new UsageError("notes edit needs --title and/or --body");
  const current = await call(ctx, "GET", notePath(id));
  const note = current.body as { title: string; body: string };
  const etag = current.headers.get("etag");
  if (!etag) throw new Error("the API answered without an ETag");
  const res = await call(ctx, "PUT", notePath(id), {
    json: { title: ctx.flags.title ?? note.title, body: ctx.flags.body ?? note.body },
    headers: { "if-match": etag },
  });
  printJson(ctx, res.body);
}

export async function notesRmCommand(ctx: CommandContext): Promise<void> {
  const id = arg(ctx, 0, "noteId", "notes rm <noteId>");
  await call(ctx, "DELETE", notePath(id));
  ctx.print(`deleted ${id}`);
}
