/**
 * How an estimate is shown: a plain-text report for the terminal (`npm run cost -- --stack x`) and
 * the Markdown block docs/deploy.md embeds (`npm run cost -- --update-docs`), both from the same
 * estimate and price table.
 */
import type { StackConfig } from "../config";
import { estimateIdleMonth, usagePricesFor, USAGE_PRICES, usd, type IdleEstimate } from "./estimate";
import { HOURS_PER_MONTH, PRICE_REGION, PRICES, type Price, type PriceId } from "./prices";

export interface StackEstimate {
  readonly stack: string;
  readonly config: StackConfig;
  readonly estimate: IdleEstimate;
}

export function estimateStack(stack: string, config: StackConfig): StackEstimate {
  return { stack, config, estimate: estimateIdleMonth(config) };
}

/** What no line estimates: it depends on use, or is too small to matter for an idle stack. */
export const NOT_ESTIMATED = "CloudWatch Logs ingestion and storage, ECR image storage, DynamoDB storage and backups, data transfer out";

const dollars = (n: number) => `$${n.toFixed(2)}`;
const asOfDates = (ids: readonly PriceId[]) => [...new Set(ids.map((id) => PRICES[id].asOf))].sort().join(", ");
const priceOf = (id: PriceId): Price => PRICES[id];
const notesOf = (ids: readonly PriceId[]) =>
  [...new Set(ids)].flatMap((id) => {
    const price = priceOf(id);
    return price.note === undefined ? [] : [`${price.label}: ${price.note}`];
  });

export function renderText({ stack, config, estimate }: StackEstimate): string {
  const itemWidth = Math.max(...estimate.lines.map((l) => l.item.length), "Total, idle".length);
  const amounts = [...estimate.lines.map((l) => dollars(l.monthlyUsd)), dollars(estimate.totalUsd)];
  const amountWidth = Math.max(...amounts.map((a) => a.length));
  const row = (item: string, amount: string, basis: string) => `  ${item.padEnd(itemWidth)}  ${amount.padStart(amountWidth)}  ${basis}`.trimEnd();
  const usage = usagePricesFor(config);
  const usageWidth = Math.max(...usage.map((u) => u.item.length));
  const used = [...estimate.pricesUsed, ...usage.flatMap((u) => u.prices)];
  return [
    `Stack ${stack}: idle monthly cost (${PRICE_REGION} list prices as of ${asOfDates(used)}, ${HOURS_PER_MONTH} h a month)`,
    "",
    ...estimate.lines.map((l) => row(l.item, dollars(l.monthlyUsd), l.basis)),
    row("Total, idle", dollars(estimate.totalUsd), "a month, before any request"),
    "",
    "Per use, on top of the idle total:",
    ...usage.map((u) => `  ${u.item.padEnd(usageWidth)}  ${u.price}`),
    "",
    "Notes:",
    ...notesOf(used).map((n) => `  - ${n}`),
    `Not estimated: ${NOT_ESTIMATED}.`,
    "Sources:",
    ...[...new Set(used.map((id) => PRICES[id].source))].map((s) => `  ${s}`),
  ].join("\n");
}

/** One column per stack, one row per item any of them has. */
export function renderMarkdown(stacks: readonly StackEstimate[]): string {
  const ids = [...new Set(stacks.flatMap((s) => s.estimate.lines.map((l) => l.id)))];
  const cell = (s: StackEstimate, id: string) => {
    const line = s.estimate.lines.find((l) => l.id === id);
    return line === undefined ? "—" : `${dollars(line.monthlyUsd)}: ${line.basis}`;
  };
  const itemOf = (id: string) => stacks.flatMap((s) => s.estimate.lines).find((l) => l.id === id)?.item ?? id;
  const priceIds = Object.keys(PRICES) as PriceId[];
  return [
    `Idle month (${HOURS_PER_MONTH} h, no requests), ${PRICE_REGION} list prices; \`npm run cost -- --stack <name>\` prints it for any stack file.`,
    "",
    `| item | ${stacks.map((s) => s.stack).join(" | ")} |`,
    `|---|${stacks.map(() => "---").join("|")}|`,
    ...ids.map((id) => `| ${itemOf(id)} | ${stacks.map((s) => cell(s, id)).join(" | ")} |`),
    `| **total, idle** | ${stacks.map((s) => `**${dollars(s.estimate.totalUsd)}**`).join(" | ")} |`,
    "",
    "Per use, on top of the idle total:",
    "",
    "| item | price |",
    "|---|---|",
    ...USAGE_PRICES.map((u) => `| ${u.item} | ${u.price} |`),
    "",
    `Not estimated: ${NOT_ESTIMATED}.`,
    "",
    "The price table (`infra/cost/prices.ts`):",
    "",
    "| what | price | per | as of | source | note |",
    "|---|---|---|---|---|---|",
    ...priceIds.map((id) => {
      const price = priceOf(id);
      const amount = price.per.startsWith("fraction") ? `${Math.round(price.usd * 100)}%` : usd(price.usd);
      return `| ${price.label} | ${amount} | ${price.per} | ${price.asOf} | ${price.source} | ${price.note ?? ""} |`;
    }),
  ].join("\n");
}
