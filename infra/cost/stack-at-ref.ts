/**
 * A stack file as it was at a git commit (`npm run cost -- --stack dev --against main`): read with
 * `git show <commit>:./Pulumi.<stack>.yaml` in the stack files' directory, then validated like the
 * working tree's. Every failure is a StackFileError naming the ref: not a git repository, no such
 * ref, no stack file at that commit, or a config the program would refuse.
 */
import { execFileSync } from "node:child_process";
import { ConfigError } from "../config";
import { checkStackName, parseStackFileText, StackFileError, type StackFile } from "./stack-file";

export interface StackFileAtRef extends StackFile {
  readonly ref: string;
  /** The commit the ref named (full SHA). */
  readonly commit: string;
}

interface GitResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

function git(dir: string, args: readonly string[]): GitResult {
  try {
    const stdout = execFileSync("git", args, { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 16 * 1024 * 1024 });
    return { ok: true, stdout, stderr: "" };
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === "ENOENT") throw new StackFileError("--against needs git, and git is not installed (or not on PATH)");
    return { ok: false, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

/** The commit `ref` names in the repository around `dir`. */
function resolveCommit(dir: string, ref: string): string {
  // A ref starting with "-" would be read as an option by git.
  if (ref === "" || ref.startsWith("-")) throw new StackFileError(`--against "${ref}" is not a git ref`);
  const top = git(dir, ["rev-parse", "--show-toplevel"]);
  if (!top.ok) throw new StackFileError(`--against needs a git repository, and ${dir} is not in one`);
  const resolved = git(dir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (!resolved.ok)
    throw new StackFileError(`--against "${ref}" names no commit in this repository (a branch, tag or commit SHA; fetch it first if it is remote)`);
  return resolved.stdout.trim();
}

export function readStackFileAt(dir: string, ref: string, stack: string): StackFileAtRef {
  checkStackName(stack);
  const commit = resolveCommit(dir, ref);
  const fileName = `Pulumi.${stack}.yaml`;
  const where = `${ref} (${commit.slice(0, 7)})`;
  const shown = git(dir, ["show", `${commit}:./${fileName}`]);
  if (!shown.ok) {
    const listed = git(dir, ["ls-tree", "--name-only", commit, "./"]);
    const known = listed.stdout
      .split("\n")
      .flatMap((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1] ?? [])
      .sort();
    throw new StackFileError(`no stack file ${fileName} at ${where}${known.length > 0 ? ` (stacks there: ${known.join(", ")})` : ""}`);
  }
  try {
    const file = parseStackFileText(shown.stdout, stack, `${commit}:${fileName}`, `${fileName} at ${where}`);
    return { ...file, ref, commit };
  } catch (err) {
    if (err instanceof ConfigError) {
      throw new StackFileError(`${fileName} at ${where} has an invalid config:\n${err.issues.map((i) => `  - ${i}`).join("\n")}`);
    }
    throw err;
  }
}
