/**
 * `npm run cost -- --stack <name>`: the idle monthly cost of a stack, from its Pulumi.<name>.yaml,
 * before anything is deployed; with `--against <git-ref>`, the same file at that ref too and the
 * difference line by line (what a config change in a pull request costs). runCostCli returns the exit code instead of exiting, so tests drive
 * it in-process. Exit 0: printed; 1: the stack file or its config is wrong; 2: bad flags.
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError } from "../config";
import { PRICE_REGION } from "./prices";
import { costDelta, renderDeltaText } from "./delta";
import { estimateStack, renderMarkdown, renderText } from "./render";
import { readStackFileAt } from "./stack-at-ref";
import { readStackFile, StackFileError } from "./stack-file";

export interface CostCliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** Where the stack files are (the repository root under `npm run`). */
  readonly cwd: string;
}

export const USAGE = `usage: npm run cost -- --stack <name> [--stack <name>…] [--against <git-ref>] [--json]
       npm run cost -- --update-docs
  --stack <name>       estimate Pulumi.<name>.yaml's idle month (validated like \`pulumi up\` does)
  --against <git-ref>  also estimate Pulumi.<name>.yaml as it is at that branch, tag or commit, and
                       print both totals and the difference per line
  --json               print the estimate as JSON instead of a table
  --update-docs    rewrite the cost table in ${path.join("docs", "deploy.md")} from Pulumi.dev.yaml and Pulumi.prod.yaml`;

/** The stacks docs/deploy.md's table shows, and the markers around the generated block. */
export const DOCS_STACKS = ["dev", "prod"] as const;
export const DOCS_FILE = path.join("docs", "deploy.md");
export const DOCS_BEGIN = "<!-- cost-table:begin (generated: npm run cost -- --update-docs) -->";
export const DOCS_END = "<!-- cost-table:end -->";

class UsageError extends Error {}

/** docs/deploy.md's generated block for the stack files in `dir`. */
export function docsBlock(dir: string): string {
  return renderMarkdown(DOCS_STACKS.map((s) => estimateStack(s, readStackFile(dir, s).config)));
}

/** `markdown` with the text between the markers replaced by `block`. */
export function replaceDocsBlock(markdown: string, block: string): string {
  const begin = markdown.indexOf(DOCS_BEGIN);
  const end = markdown.indexOf(DOCS_END);
  if (begin < 0 || end < begin) throw new StackFileError(`${DOCS_FILE} has no "${DOCS_BEGIN}" … "${DOCS_END}" block`);
  return `${markdown.slice(0, begin + DOCS_BEGIN.length)}\n${block}\n${markdown.slice(end)}`;
}

function parse(argv: readonly string[]) {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        stack: { type: "string", multiple: true },
        json: { type: "boolean" },
        against: { type: "string" },
        "update-docs": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}" (the stack goes after --stack)`);
    const stacks = values.stack ?? [];
    const updateDocs = values["update-docs"] === true;
    if (values.help !== true && stacks.length === 0 && !updateDocs) throw new UsageError("--stack <name> is required");
    if (updateDocs && (stacks.length > 0 || values.json === true || values.against !== undefined)) throw new UsageError("--update-docs takes no other flag");
    return { stacks, json: values.json === true, against: values.against, updateDocs, help: values.help === true };
  } catch (err) {
    if (err instanceof UsageError) throw err;
    // node:util parseArgs: unknown option, missing value…
    throw new UsageError((err as Error).message);
  }
}

export function runCostCli(argv: readonly string[], io: Partial<CostCliIo> = {}): number {
  const stdout = io.stdout ?? ((text: string) => process.stdout.write(`${text}\n`));
  const stderr = io.stderr ?? ((text: string) => process.stderr.write(`${text}\n`));
  const cwd = io.cwd ?? process.cwd();
  try {
    const args = parse(argv);
    if (args.help) {
      stdout(USAGE);
      return 0;
    }
    if (args.updateDocs) {
      const file = path.join(cwd, DOCS_FILE);
      writeFileSync(file, replaceDocsBlock(readFileSync(file, "utf8"), docsBlock(cwd)));
      stdout(`updated ${DOCS_FILE}`);
      return 0;
    }
    if (args.against !== undefined) {
      const ref = args.against;
      const deltas = args.stacks.map((stack) => {
        const before = readStackFileAt(cwd, ref, stack);
        const after = readStackFile(cwd, stack);
        return costDelta(estimateStack(stack, before.config), estimateStack(stack, after.config), `${ref} (${before.commit.slice(0, 7)})`);
      });
      stdout(args.json ? JSON.stringify(deltas, null, 2) : deltas.map(renderDeltaText).join("\n\n"));
      return 0;
    }
    const estimates = args.stacks.map((stack) => {
      const file = readStackFile(cwd, stack);
      if (file.region !== PRICE_REGION) {
        stderr(
          `note: prices are ${PRICE_REGION}'s; ${file.region === undefined ? `Pulumi.${stack}.yaml sets no aws:region` : `stack ${stack} deploys to ${file.region}, where they differ`}`,
        );
      }
      return estimateStack(stack, file.config);
    });
    stdout(
      args.json
        ? JSON.stringify(
            estimates.map((e) => ({ stack: e.stack, ...e.estimate })),
            null,
            2,
          )
        : estimates.map(renderText).join("\n\n"),
    );
    return 0;
  } catch (err) {
    if (err instanceof UsageError) {
      stderr(`error: ${err.message}\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConfigError) {
      stderr(`error: invalid stack config:\n${err.issues.map((i) => `  - ${i}`).join("\n")}`);
      return 1;
    }
    if (err instanceof StackFileError) {
      stderr(`error: ${err.message}`);
      return 1;
    }
    throw err;
  }
}
