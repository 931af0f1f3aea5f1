/**
 * What a config change costs: the idle month of a stack's file at a git ref ("before") and in the
 * working tree ("after"), line by line (the union of both estimates' items) with the difference.
 */
import type { StackEstimate } from "./render";

export interface DeltaLine {
  readonly id: string;
  readonly item: string;
  /** Undefined when that side has no such line (the config turns the item off). */
  readonly beforeUsd: number | undefined;
  readonly afterUsd: number | undefined;
  readonly deltaUsd: number;
}

export interface CostDelta {
  readonly stack: string;
  /** What the "before" side is: `<ref> (<short sha>)`. */
  readonly against: string;
  readonly beforeTotalUsd: number;
  readonly afterTotalUsd: number;
  readonly deltaUsd: number;
  readonly lines: readonly DeltaLine[];
}

/** Differences of amounts already rounded to cents, kept exact in cents. */
const minus = (a: number, b: number) => Math.round(a * 100 - b * 100) / 100;

export function costDelta(before: StackEstimate, after: StackEstimate, against: string): CostDelta {
  const ids = [...new Set([...after.estimate.lines, ...before.estimate.lines].map((l) => l.id))];
  const lines = ids.map((id) => {
    const b = before.estimate.lines.find((l) => l.id === id);
    const a = after.estimate.lines.find((l) => l.id === id);
    return { id, item: (a ?? b)!.item, beforeUsd: b?.monthlyUsd, afterUsd: a?.monthlyUsd, deltaUsd: minus(a?.monthlyUsd ?? 0, b?.monthlyUsd ?? 0) };
  });
  return {
    stack: after.stack,
    against,
    beforeTotalUsd: before.estimate.totalUsd,
    afterTotalUsd: after.estimate.totalUsd,
    deltaUsd: minus(after.estimate.totalUsd, before.estimate.totalUsd),
    lines,
  };
}

const dollars = (n: number | undefined) => (n === undefined ? "—" : `$${n.toFixed(2)}`);
const signed = (n: number) => (n === 0 ? "±$0.00" : `${n > 0 ? "+" : "−"}$${Math.abs(n).toFixed(2)}`);

export function renderDeltaText(delta: CostDelta): string {
  const head = ["item", delta.against, "this tree", "delta"];
  const rows = [
    ...delta.lines.map((l) => [l.item, dollars(l.beforeUsd), dollars(l.afterUsd), signed(l.deltaUsd)]),
    ["Total, idle", dollars(delta.beforeTotalUsd), dollars(delta.afterTotalUsd), signed(delta.deltaUsd)],
  ];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const row = (cells: readonly string[]) => `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ")}`;
  return [
    `Stack ${delta.stack}: idle monthly cost, ${delta.against} → this tree`,
    "",
    row(head),
    ...rows.slice(0, -1).map(row),
    row(rows[rows.length - 1]!),
    "",
    `Total before: ${dollars(delta.beforeTotalUsd)} a month; after: ${dollars(delta.afterTotalUsd)} a month (${signed(delta.deltaUsd)}).`,
  ].join("\n");
}
