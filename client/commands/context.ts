/** What every CLI command gets: the stack's outputs, where tokens live, parsed args, output. */
import type { StackOutputs } from "../outputs";

export interface CommandContext {
  readonly outputs: StackOutputs;
  readonly tokensDir: string;
  /** Positionals after the command words. */
  readonly args: readonly string[];
  readonly flags: Readonly<Record<string, string | undefined>>;
  print(line: string): void;
  /** Raw output (a streamed download to stdout). */
  write(chunk: Uint8Array): Promise<void>;
}

export class UsageError extends Error {
  override readonly name = "UsageError";
}

/** The n-th positional, or a UsageError naming it. */
export function arg(ctx: CommandContext, index: number, name: string, usage: string): string {
  const value = ctx.args[index];
  if (value === undefined || value === "") throw new UsageError(`missing <${name}>. Usage: ${usage}`);
  return value;
}

export function printJson(ctx: CommandContext, value: unknown): void {
  ctx.print(JSON.stringify(value, null, 2));
}
