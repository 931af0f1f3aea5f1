/**
 * Reads a `Pulumi.<stack>.yaml` the way Pulumi hands it to the program: the project's keys
 * (`user-aware-api:<key>`, or a bare `<key>`, which Pulumi puts in the project's namespace) with
 * every value as a string (structured values as JSON), then validates them with the program's own
 * parseConfig — so the estimate is of exactly the config `pulumi up` would deploy. The text may also
 * come from git (stack-at-ref.ts).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import yaml from "js-yaml";
import { CONFIG_NAMESPACE, parseConfig, type StackConfig } from "../config";

export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

export interface StackFile {
  readonly stack: string;
  readonly file: string;
  /** `aws:region`, when the file sets it. */
  readonly region: string | undefined;
  readonly config: StackConfig;
}

/** Stack names Pulumi allows (no path separators: the name becomes part of a file name). */
const STACK_NAME = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

export function stackFilePath(dir: string, stack: string): string {
  return path.join(dir, `Pulumi.${stack}.yaml`);
}

/** The stacks that have a file in `dir`. */
export function stacksIn(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? [])
    .sort();
}

/** Throws StackFileError (no such stack, unreadable YAML) or the program's ConfigError. */
export function readStackFile(dir: string, stack: string): StackFile {
  checkStackName(stack);
  const file = stackFilePath(dir, stack);
  if (!existsSync(file)) {
    const known = stacksIn(dir);
    throw new StackFileError(`no stack file ${path.basename(file)} in ${dir}${known.length > 0 ? ` (stacks here: ${known.join(", ")})` : ""}`);
  }
  return parseStackFileText(readFileSync(file, "utf8"), stack, file);
}

/** A stack name Pulumi allows, or StackFileError. */
export function checkStackName(stack: string): void {
  if (!STACK_NAME.test(stack)) throw new StackFileError(`"${stack}" is not a stack name (letters, digits, '-', '_', '.')`);
}

/**
 * A stack file's text (from disk or from git) as the program would see it; `name` is how errors
 * name it. Throws StackFileError (unreadable YAML) or the program's ConfigError.
 */
export function parseStackFileText(text: string, stack: string, file: string, name = path.basename(file)): StackFile {
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (err) {
    throw new StackFileError(`${name} is not valid YAML: ${(err as Error).message.split("\n")[0]}`);
  }
  const config = (doc as { config?: unknown } | null | undefined)?.config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new StackFileError(`${name}: \`config\` must be a map of keys to values`);
  }
  const raw: Record<string, string> = {};
  let region: string | undefined;
  for (const [key, value] of Object.entries(config)) {
    const asPulumiGivesIt = typeof value === "string" ? value : JSON.stringify(value);
    if (key === "aws:region") region = asPulumiGivesIt;
    const [namespace, bare] = key.includes(":") ? key.split(/:(.*)/s) : [CONFIG_NAMESPACE, key];
    if (namespace === CONFIG_NAMESPACE && bare !== undefined) raw[bare] = asPulumiGivesIt;
  }
  return { stack, file, region, config: parseConfig(raw, stack, region) };
}
