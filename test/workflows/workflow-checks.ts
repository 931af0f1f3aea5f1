/**
 * Checks over the GitHub Actions workflows in .github/workflows, as plain functions over a file's
 * text, so the tests can also show each check catching a bad workflow.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import yaml from "js-yaml";

export const ROOT = path.join(__dirname, "../..");
export const WORKFLOW_DIR = path.join(ROOT, ".github", "workflows");

export interface WorkflowFile {
  /** Path from the repository root, as GitHub names it (.github/workflows/x.yml). */
  readonly file: string;
  readonly text: string;
}

export function workflowFiles(): WorkflowFile[] {
  return readdirSync(WORKFLOW_DIR)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => ({ file: `.github/workflows/${f}`, text: readFileSync(path.join(WORKFLOW_DIR, f), "utf8") }));
}

export interface Step {
  readonly name?: string;
  readonly uses?: string;
  readonly run?: string;
  readonly with?: Record<string, unknown>;
}

export interface Job {
  readonly environment?: string | { name: string };
  readonly permissions?: Record<string, string> | string;
  readonly concurrency?: { group: string; "cancel-in-progress"?: boolean } | string;
  readonly strategy?: { matrix?: Record<string, unknown> };
  readonly uses?: string;
  readonly with?: Record<string, unknown>;
  readonly steps?: readonly Step[];
}

export interface Workflow {
  readonly on: unknown;
  readonly permissions?: Record<string, string> | string;
  readonly jobs: Record<string, Job>;
}

/** The workflow as YAML data (the tests' view; GitHub's own parser checks the schema). */
export function load(text: string): Workflow {
  return yaml.load(text) as Workflow;
}

/** Every `uses:` of a job or a step, with the rest of its line (the version comment). */
export function usesLines(text: string): { uses: string; line: number; comment: string }[] {
  return text.split("\n").flatMap((content, i) => {
    const m = /^\s*(?:-\s+)?uses:\s*["']?([^\s"'#]+)["']?\s*(?:#\s*(.*))?$/.exec(content);
    return m === null ? [] : [{ uses: m[1]!, line: i + 1, comment: (m[2] ?? "").trim() }];
  });
}

/**
 * Problems with the `uses:` lines: an action from outside the repository must be pinned to a full
 * commit SHA (a tag or branch can be moved to other code) with its release in a comment.
 */
export function pinningProblems(text: string): string[] {
  return usesLines(text).flatMap(({ uses, line, comment }) => {
    if (uses.startsWith("./")) return [];
    if (uses.startsWith("docker://")) return /@sha256:[0-9a-f]{64}$/.test(uses) ? [] : [`line ${line}: ${uses} is not pinned to an image digest`];
    const m = /^[^@]+@([0-9a-f]{40})$/.exec(uses);
    if (m === null) return [`line ${line}: ${uses} is not pinned to a 40-hex commit SHA`];
    if (!/^v\d+\.\d+\.\d+$/.test(comment)) return [`line ${line}: ${uses} has no "# vX.Y.Z" comment naming its release`];
    return [];
  });
}

/** The package.json scripts that a shell line runs with `npm run [-flags] <script>`. */
export function npmScriptsRun(script: string): string[] {
  return [...script.matchAll(/\bnpm\s+run(?:\s+-{1,2}[a-z-]+)*\s+([A-Za-z0-9:_.-]+)/g)].map((m) => m[1]!);
}

/** Every `run:` script of every job. */
export function runScripts(workflow: Workflow): string[] {
  return Object.values(workflow.jobs).flatMap((job) => (job.steps ?? []).flatMap((s) => (s.run === undefined ? [] : [s.run])));
}

export function packageScripts(): Record<string, string> {
  return (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
}

/** Scripts a workflow runs that package.json does not have. */
export function missingNpmScripts(workflow: Workflow, scripts: Record<string, string>): string[] {
  return runScripts(workflow)
    .flatMap(npmScriptsRun)
    .filter((s) => !(s in scripts));
}

export const permissionsOf = (job: Job): Record<string, string> => (typeof job.permissions === "object" && job.permissions !== null ? job.permissions : {});

/** Does this job assume an AWS role (itself, or through a reusable workflow of this repository)? */
export function assumesAws(job: Job): boolean {
  if (job.uses?.startsWith("./") === true) {
    return Object.values(load(readFileSync(path.join(ROOT, job.uses), "utf8")).jobs).some(assumesAws);
  }
  return (job.steps ?? []).some((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@") === true);
}
