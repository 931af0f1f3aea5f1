/**
 * `npm run cost -- --stack <name> --against <git-ref>`: the stack file at a ref and in the working
 * tree, both totals and the difference per line; clear errors for a bad ref, a stack file missing
 * at the ref, an invalid config there, and a directory outside git. On a scratch git repository.
 */
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCostCli } from "../../infra/cost/cli-main";
import type { CostDelta } from "../../infra/cost/delta";
import { estimateStack } from "../../infra/cost/render";
import { parseStackFileText } from "../../infra/cost/stack-file";

const ROOT = join(__dirname, "../..");
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const COST_CLI = join(ROOT, "infra", "cost", "cli.ts");
const base = mkdtempSync(join(tmpdir(), "uaa-cost-against-"));
const repo = join(base, "repo");
afterAll(() => rmSync(base, { recursive: true, force: true }));

const DEV_BEFORE = readFileSync(join(ROOT, "Pulumi.dev.yaml"), "utf8");
// The change under review: one NAT gateway (private subnets) and two tasks at rest.
const DEV_AFTER = DEV_BEFORE.replace("user-aware-api:natGateways: None", "user-aware-api:natGateways: Single").replace(
  "user-aware-api:minTasks: 1",
  "user-aware-api:minTasks: 2",
);

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Ops",
  GIT_AUTHOR_EMAIL: "ops@example.com",
  GIT_COMMITTER_NAME: "Ops",
  GIT_COMMITTER_EMAIL: "ops@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};
const git = (...args: string[]) => execFileSync("git", args, { cwd: repo, env: GIT_ENV, encoding: "utf8" }).trim();

let firstCommit = "";
beforeAll(() => {
  mkdirSync(repo);
  git("init", "-q", "-b", "main");
  writeFileSync(join(repo, "Pulumi.dev.yaml"), DEV_BEFORE);
  git("add", ".");
  git("commit", "-q", "-m", "dev as it is");
  git("tag", "v1");
  firstCommit = git("rev-parse", "HEAD");
  writeFileSync(join(repo, "Pulumi.dev.yaml"), DEV_AFTER);
  writeFileSync(join(repo, "Pulumi.staging.yaml"), "config:\n  aws:region: us-east-1\n");
  git("add", ".");
  git("commit", "-q", "-m", "dev: one NAT gateway, two tasks; a staging stack");
});

/** The estimate of a stack file's text, computed in-process: what the CLI must print. */
const estimateOf = (text: string) => estimateStack("dev", parseStackFileText(text, "dev", "Pulumi.dev.yaml").config).estimate;

function cli(argv: string[], cwd = repo) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCostCli(argv, { cwd, stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

describe("npm run cost -- --against <git-ref>", () => {
  it("prints the total at the ref and in this tree, and each line's change, for a config change between two commits (the CLI as a child process)", async () => {
    const { stdout, stderr } = await promisify(execFile)(TSX, [COST_CLI, "--stack", "dev", "--against", "HEAD~1"], { cwd: repo, timeout: 60_000 });
    expect(stderr).toBe("");
    const before = estimateOf(DEV_BEFORE);
    const after = estimateOf(DEV_AFTER);
    expect(after.totalUsd).toBeGreaterThan(before.totalUsd);
    expect(stdout).toContain(`Stack dev: idle monthly cost, HEAD~1 (${firstCommit.slice(0, 7)}) → this tree`);
    const total = new RegExp(
      `^ {2}Total, idle +\\$${before.totalUsd.toFixed(2)} +\\$${after.totalUsd.toFixed(2)} +\\+\\$${(after.totalUsd - before.totalUsd).toFixed(2)}$`,
      "m",
    );
    expect(stdout).toMatch(total);
    expect(stdout).toContain(`Total before: $${before.totalUsd.toFixed(2)} a month; after: $${after.totalUsd.toFixed(2)} a month`);
    const nat = after.lines.find((l) => l.id === "nat")!;
    expect(stdout).toMatch(new RegExp(`^ {2}NAT gateways +\\$0\\.00 +\\$${nat.monthlyUsd.toFixed(2)} +\\+\\$${nat.monthlyUsd.toFixed(2)}$`, "m"));
    expect(stdout).toMatch(/^ {2}Load balancer \(internal ALB\) +\$\d+\.\d\d +\$\d+\.\d\d +±\$0\.00$/m);
  });

  it("--json: the two totals, the difference, and every line of either side with its own difference", () => {
    const r = cli(["--stack", "dev", "--against", "v1", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const [delta] = JSON.parse(r.stdout) as CostDelta[];
    const before = estimateOf(DEV_BEFORE);
    const after = estimateOf(DEV_AFTER);
    expect(delta).toMatchObject({ stack: "dev", against: `v1 (${firstCommit.slice(0, 7)})`, beforeTotalUsd: before.totalUsd, afterTotalUsd: after.totalUsd });
    expect(delta!.deltaUsd).toBeCloseTo(after.totalUsd - before.totalUsd, 10);
    for (const line of delta!.lines) {
      expect(line.beforeUsd, line.id).toBe(before.lines.find((l) => l.id === line.id)?.monthlyUsd);
      expect(line.afterUsd, line.id).toBe(after.lines.find((l) => l.id === line.id)?.monthlyUsd);
      expect(line.deltaUsd, line.id).toBeCloseTo((line.afterUsd ?? 0) - (line.beforeUsd ?? 0), 10);
    }
    expect(delta!.lines.reduce((sum, l) => sum + l.deltaUsd, 0)).toBeCloseTo(delta!.deltaUsd, 10);
  });

  it("against the current commit, an unchanged file costs the same: every line ±$0.00", () => {
    const r = cli(["--stack", "dev", "--against", "main"]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout
      .split("\n")
      .filter((l) => /^ {2}\S/.test(l))
      .slice(1);
    expect(lines.length).toBeGreaterThan(3);
    for (const line of lines) expect(line).toMatch(/±\$0\.00$/);
  });

  it("an uncommitted edit is part of “this tree”", () => {
    writeFileSync(join(repo, "Pulumi.dev.yaml"), DEV_BEFORE);
    try {
      const [delta] = JSON.parse(cli(["--stack", "dev", "--against", firstCommit, "--json"]).stdout) as CostDelta[];
      expect(delta!.deltaUsd).toBe(0);
    } finally {
      writeFileSync(join(repo, "Pulumi.dev.yaml"), DEV_AFTER);
    }
  });

  describe("clear errors (exit 1, nothing on stdout)", () => {
    it.each([
      [
        "a ref that names no commit",
        ["--stack", "dev", "--against", "no-such-branch"],
        'error: --against "no-such-branch" names no commit in this repository (a branch, tag or commit SHA; fetch it first if it is remote)',
      ],
      ["a ref that git would read as an option", ["--stack", "dev", "--against=--output=/tmp/x"], 'error: --against "--output=/tmp/x" is not a git ref'],
      [
        "a stack file the ref does not have",
        ["--stack", "staging", "--against", "HEAD~1"],
        "error: no stack file Pulumi.staging.yaml at HEAD~1 (FIRST) (stacks there: dev)",
      ],
    ])("%s", (_what, argv, message) => {
      const r = cli(argv);
      expect(r).toEqual({ code: 1, stdout: "", stderr: message.replace("FIRST", firstCommit.slice(0, 7)) });
    });

    it("an invalid config at the ref names the ref and each key", () => {
      writeFileSync(join(repo, "Pulumi.dev.yaml"), DEV_AFTER.replace("user-aware-api:spot: true", "user-aware-api:spot: yes"));
      git("commit", "-q", "-am", "a bad value");
      writeFileSync(join(repo, "Pulumi.dev.yaml"), DEV_AFTER);
      try {
        const r = cli(["--stack", "dev", "--against", "HEAD"]);
        expect(r.code).toBe(1);
        expect(r.stdout).toBe("");
        expect(r.stderr).toMatch(
          /^error: Pulumi\.dev\.yaml at HEAD \([0-9a-f]{7}\) has an invalid config:\n {2}- user-aware-api:spot: "yes" is not valid; allowed: true \| false$/,
        );
      } finally {
        git("reset", "-q", "--hard", "HEAD~1");
      }
    });

    it("a directory outside any git repository", () => {
      const plain = join(base, "plain");
      mkdirSync(plain);
      copyFileSync(join(ROOT, "Pulumi.dev.yaml"), join(plain, "Pulumi.dev.yaml"));
      const r = runCostCliWithoutGitAbove(plain);
      expect(r).toEqual({ code: 1, stdout: "", stderr: `error: --against needs a git repository, and ${plain} is not in one` });
    });

    it("--against with --update-docs is a usage error (exit 2)", () => {
      expect(cli(["--update-docs", "--against", "main"])).toMatchObject({ code: 2, stderr: expect.stringContaining("--update-docs takes no other flag") });
    });
  });
});

/** The temp dir might sit inside a git work tree on some machines: stop git's search at `dir`. */
function runCostCliWithoutGitAbove(dir: string) {
  const saved = process.env["GIT_CEILING_DIRECTORIES"];
  process.env["GIT_CEILING_DIRECTORIES"] = join(dir, "..");
  try {
    return cli(["--stack", "dev", "--against", "main"], dir);
  } finally {
    if (saved === undefined) delete process.env["GIT_CEILING_DIRECTORIES"];
    else process.env["GIT_CEILING_DIRECTORIES"] = saved;
  }
}
