/**
 * GET /me/export's body: `{"exportedAt":…,"profile":…,"notes":[…]}` written page by page as the
 * client reads it (a pull stream: the next page is fetched only when the last one was taken), so
 * memory holds about one page whatever the account's size. The first page is read before the
 * response starts, so a store failure then is a normal 503; a failure after the first byte must
 * not end in a well-formed but incomplete document, so the stream is aborted instead.
 */
import type { MeResponse } from "../../../contract/claims";
import type { Note } from "../../../contract/notes";
import type { NotePage } from "../notes/store";

export interface ExportSource {
  /** The first page, already read. */
  readonly first: NotePage;
  /** The page after `afterNoteId`. */
  next(afterNoteId: string): Promise<NotePage>;
}

export interface ExportStreamOptions {
  readonly exportedAt: string;
  readonly profile: MeResponse;
  readonly source: ExportSource;
  /**
   * A page failed after the response started: abort the download (the caller destroys the
   * connection when there is one; the stream is errored otherwise). Nothing more is written.
   */
  readonly onFailure: (err: unknown, controller: ReadableStreamDefaultController<Uint8Array>) => void;
}

export function exportStream(options: ExportStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let page: NotePage | undefined = options.source.first;
  let wroteNote = false;
  let cancelled = false;
  let failed = false;

  // The notes of one page, each as the API serialises it, comma-separated across pages.
  const chunkOf = (notes: readonly Note[]): string => {
    let text = "";
    for (const note of notes) {
      text += (wroteNote ? "," : "") + JSON.stringify(note);
      wroteNote = true;
    }
    return text;
  };

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        // Same key order as AccountExport, so the document equals JSON.stringify of one.
        const head = `{"exportedAt":${JSON.stringify(options.exportedAt)},"profile":${JSON.stringify(options.profile)},"notes":[`;
        controller.enqueue(encoder.encode(head + chunkOf(page?.items ?? [])));
      },
      async pull(controller) {
        if (failed || cancelled) return;
        const after = page?.lastNoteId ?? null;
        if (after === null) {
          controller.enqueue(encoder.encode("]}"));
          controller.close();
          return;
        }
        try {
          page = await options.source.next(after);
        } catch (err) {
          failed = true;
          if (!cancelled) options.onFailure(err, controller);
          return;
        }
        if (cancelled) return;
        controller.enqueue(encoder.encode(chunkOf(page.items)));
      },
      cancel() {
        // The client went away: stop paging.
        cancelled = true;
      },
    },
    // One chunk (one page) queued ahead at most.
    { highWaterMark: 1 },
  );
}
