/** me export, me delete: the account lifecycle from the CLI, as the app would do it. */
import { createWriteStream, renameSync, rmSync, statSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { deleteAccount, exportAccount } from "../account";
import { currentSession } from "../session";
import { clearSession } from "../token-store";
import { UsageError, type CommandContext } from "./context";

/**
 * Streams GET /me/export to `--out <file>` (mode 0600: it is personal data) or to stdout. A file
 * is written under a temporary name and renamed only when the download is complete: a download
 * the API aborts never leaves a file that looks like a whole export.
 */
export async function meExportCommand(ctx: CommandContext): Promise<void> {
  const session = await currentSession(ctx.outputs, ctx.tokensDir);
  const res = await exportAccount(ctx.outputs.apiUrl, session.idToken);
  const body = Readable.fromWeb(res.body as unknown as NodeReadableStream<Uint8Array>);
  const file = ctx.flags.out;
  if (file === undefined) {
    for await (const chunk of body) await ctx.write(chunk as Uint8Array);
    return;
  }
  const partial = `${file}.${process.pid}.part`;
  try {
    await pipeline(body, createWriteStream(partial, { mode: 0o600 }));
    renameSync(partial, file);
  } catch (err) {
    rmSync(partial, { force: true });
    throw new Error(`the export failed before it was complete (${err instanceof Error ? err.message : String(err)}); nothing was written to ${file}`);
  }
  ctx.print(`exported to ${file} (${statSync(file).size} bytes)`);
}

/** DELETE /me until 204 (it resumes on repeat), then forgets the local tokens. Needs --yes. */
export async function meDeleteCommand(ctx: CommandContext): Promise<void> {
  if (ctx.flags.yes !== "true") {
    throw new UsageError("me delete removes your account and all its notes for good; to go ahead, run: me delete --yes");
  }
  const session = await currentSession(ctx.outputs, ctx.tokensDir);
  await deleteAccount(ctx.outputs.apiUrl, session.idToken, {
    onWait: (status, seconds) => ctx.print(`deletion under way (HTTP ${status}); continuing in ${seconds} s`),
  });
  clearSession(ctx.tokensDir, ctx.outputs.apiUrl);
  ctx.print(`account ${session.email} deleted with all its notes; local tokens removed`);
}
