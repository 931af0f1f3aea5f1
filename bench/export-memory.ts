/**
 * GET /me/export of 5 000 notes: how much the service's resident memory
 * grows while it streams the document, measured twice on fresh processes:
 * - with the image's NODE_OPTIONS: what a task sees. V8 collects the pages' garbage lazily, so
 *   the growth is heap slack, not the document (it shrinks when the heap is bounded, below);
 * - with the old generation capped at 24 MB: far less than the document needs in memory (10 MB of
 *   UTF-8 with non-Latin-1 characters is a ~20 MB JS string, plus the notes as objects), so the
 *   export can only complete if the service never holds it whole.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { seedNotes, sturdyDoc } from "../test/helpers/seed-notes";
import { memoryOf, round, type Target } from "./processes";

/** The heap cap of the bounded run (`--max-old-space-size`, MB). */
export const BOUNDED_OLD_SPACE_MB = 24;

export interface ExportRun {
  /** False when the download failed (e.g. the service ran out of heap). */
  readonly completed: boolean;
  readonly durationMs: number;
  readonly rssBeforeMb: number | undefined;
  readonly peakRssMb: number | undefined;
  /** Peak RSS during the export minus RSS before it. */
  readonly peakGrowthMb: number | undefined;
  readonly error?: string;
}

export interface ExportMemoryResult {
  readonly notes: number;
  readonly bodyChars: number;
  /** The document's size. */
  readonly exportMb: number;
  /** The image's NODE_OPTIONS. */
  readonly production: ExportRun;
  /** Old generation capped at BOUNDED_OLD_SPACE_MB. */
  readonly bounded: ExportRun & { readonly maxOldSpaceMb: number };
  /** The target: the bounded run completes (the document is never held whole). */
  readonly met: boolean;
}

/** Writes `notes` notes of `bodyChars` characters for `sub`, straight to the table. */
export async function seedExportUser(dynamoUrl: string, tableName: string, sub: string, notes: number, bodyChars: number): Promise<void> {
  const doc = sturdyDoc(dynamoUrl);
  try {
    await seedNotes(doc, tableName, sub, notes, bodyChars);
  } finally {
    doc.destroy();
  }
}

/** One export from `target` (a fresh service), with its RSS before and at its peak. */
export async function measureExport(target: Target, token: string): Promise<ExportRun & { bytes: number }> {
  const pid = target.child.pid;
  // Settle, then take the baseline and restart the kernel's peak-RSS counter (VmHWM) from it.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const before = memoryOf(pid).rssMb;
  const peakReset = resetPeakRss(pid);
  let sampledPeak = before ?? 0;
  // Sampling as well: the reset needs Linux ≥ 4.0 and may be refused.
  const sampler = setInterval(() => {
    const now = memoryOf(pid).rssMb;
    if (now !== undefined && now > sampledPeak) sampledPeak = now;
  }, 10);

  const started = performance.now();
  let bytes = 0;
  let tail = "";
  let error: string | undefined;
  try {
    const res = await fetch(`${target.url}/me/export`, { headers: { Authorization: token } });
    if (res.status !== 200) throw new Error(`export answered ${res.status}: ${await res.text()}`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      tail = (tail + Buffer.from(value).toString("latin1")).slice(-2);
    }
    if (tail !== "]}") throw new Error("the export did not end as a complete document");
  } catch (err) {
    error = err instanceof Error ? err.message : String(err);
  } finally {
    clearInterval(sampler);
  }
  const durationMs = Math.round(performance.now() - started);
  const peak = Math.max(sampledPeak, peakReset ? (memoryOf(pid).peakRssMb ?? 0) : 0);
  return {
    completed: error === undefined,
    bytes,
    durationMs,
    rssBeforeMb: before,
    peakRssMb: before === undefined ? undefined : round(peak),
    peakGrowthMb: before === undefined ? undefined : round(peak - before),
    ...(error === undefined ? {} : { error }),
  };
}

/** Linux: writing 5 to clear_refs resets VmHWM to the current RSS. False where that is not possible. */
function resetPeakRss(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
    return readFileSync(`/proc/${pid}/status`, "utf8").includes("VmHWM");
  } catch {
    return false;
  }
}
