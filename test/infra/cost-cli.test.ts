/**
 * `npm run cost`: the real script on the dev stack file, the CLI in-process on prod, on bad stack
 * files and bad flags, and docs/deploy.md's cost table kept equal to the generator.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { DOCS_BEGIN, DOCS_END, DOCS_FILE, docsBlock, replaceDocsBlock, runCostCli, USAGE } from "../../infra/cost/cli-main";

const ROOT = join(__dirname, "../..");
const dir = mkdtempSync(join(tmpdir(), "uaa-cost-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(argv: string[], cwd = ROOT) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runCostCli(argv, { cwd, stdout: (t) => out.push(t), stderr: (t) => err.push(t) });
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

/** A stack file in the temp dir with these config lines. */
function stackFile(name: string, lines: string): void {
  writeFileSync(join(dir, `Pulumi.${name}.yaml`), `config:\n${lines}`);
}

const totalOf = (text: string) => Number(/^ {2}Total, idle +\$(\d+\.\d\d)/m.exec(text)?.[1]);

describe("npm run cost", () => {
  it("`npm run cost -- --stack dev` prints every idle item and a total of at most $30 a month", async () => {
    const { stdout } = await promisify(execFile)("npm", ["run", "-s", "cost", "--", "--stack", "dev"], { cwd: ROOT, timeout: 60_000 });
    for (const item of [
      "Load balancer (internal ALB)",
      "NAT gateways",
      "Fargate tasks at minTasks",
      "Public IPv4 addresses",
      "DynamoDB gateway endpoint",
      "CloudWatch alarms",
      "CloudWatch dashboard",
    ]) {
      expect(stdout).toContain(item);
    }
    expect(stdout).toMatch(/FARGATE_SPOT −70% \(assumed\)/);
    expect(stdout).toContain("$3.50 per million requests");
    expect(stdout).toMatch(/as of \d{4}-\d{2}-\d{2}/);
    expect(totalOf(stdout)).toBe(28.18);
    expect(totalOf(stdout)).toBeLessThanOrEqual(30);
  });

  it("--stack prod prints its total, with NAT data among the per-use prices", () => {
    const r = cli(["--stack", "prod"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
    expect(totalOf(r.stdout)).toBe(139.87);
    expect(r.stdout).toContain("2 NAT Elastic IPs");
    expect(r.stdout).toContain("NAT gateway data");
  });

  it("--json: the same lines and total, machine-readable; several --stack flags, one estimate each", () => {
    const r = cli(["--stack", "dev", "--stack", "prod", "--json"]);
    expect(r.code, r.stderr).toBe(0);
    const parsed = JSON.parse(r.stdout) as { stack: string; totalUsd: number; lines: { id: string; monthlyUsd: number }[] }[];
    expect(parsed.map((e) => [e.stack, e.totalUsd])).toEqual([
      ["dev", 28.18],
      ["prod", 139.87],
    ]);
    expect(parsed[0]!.lines.map((l) => l.id)).toEqual(["alb", "nat", "tasks", "ipv4", "dynamodb-endpoint", "alarms", "dashboard", "unauthorized-metric"]);
  });

  it("reads bare keys into the project's namespace as Pulumi does, and notes a region whose prices differ", () => {
    stackFile(
      "eu",
      "  aws:region: eu-west-1\n  natGateways: OnePerAz\n  user-aware-api:minTasks: 2\n  other-project:natGateways: None\n  allowCognitoDefaultEmail: true\n",
    );
    const r = cli(["--stack", "eu"], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/NAT gateways +\$65\.70/);
    expect(r.stdout).toContain("2 × (0.25 vCPU, 0.5 GB, X86_64)");
    expect(r.stderr).toBe("note: prices are us-east-1's; stack eu deploys to eu-west-1, where they differ");
  });

  describe("clear errors", () => {
    it("an unknown stack names the missing file and the stacks there are (exit 1)", () => {
      const r = cli(["--stack", "staging"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`error: no stack file Pulumi.staging.yaml in ${ROOT} (stacks here: dev, prod)`);
      expect(r.stdout).toBe("");
    });

    it("a stack name that is a path is refused before any file is read", () => {
      const r = cli(["--stack", "../etc/passwd"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/"\.\.\/etc\/passwd" is not a stack name/);
    });

    it("an invalid config lists every ConfigError issue, naming each key (exit 1)", () => {
      stackFile("bad", "  user-aware-api:natGateways: none\n  user-aware-api:spot: yes\n  user-aware-api:taskMem: 512\n");
      const r = cli(["--stack", "bad"], dir);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^error: invalid stack config:/);
      expect(r.stderr).toContain('user-aware-api:natGateways: "none" is not valid; allowed: None | Single | OnePerAz');
      expect(r.stderr).toContain('user-aware-api:spot: "yes" is not valid; allowed: true | false');
      expect(r.stderr).toContain("user-aware-api:taskMem: unknown key");
    });

    it("natGateways None on a protected stack is refused as `pulumi up` would refuse it", () => {
      stackFile("protected", "  user-aware-api:natGateways: None\n  user-aware-api:protect: true\n");
      const r = cli(["--stack", "protected"], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/user-aware-api:natGateways: None .*user-aware-api:protect.*user-aware-api:allowPublicTaskIps/);
    });

    it("a file that is not YAML, or whose config is not a map, says so", () => {
      writeFileSync(join(dir, "Pulumi.broken.yaml"), "config:\n  a: [1,\n");
      expect(cli(["--stack", "broken"], dir)).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: Pulumi\.broken\.yaml is not valid YAML: /) });
      writeFileSync(join(dir, "Pulumi.list.yaml"), "config:\n  - a\n");
      expect(cli(["--stack", "list"], dir)).toMatchObject({ code: 1, stderr: "error: Pulumi.list.yaml: `config` must be a map of keys to values" });
    });

    it.each([
      [["--stak", "dev"], "Unknown option '--stak'"],
      [[], "--stack <name> is required"],
      [["dev"], 'unexpected argument "dev"'],
      [["--stack"], "--stack"],
      [["--update-docs", "--stack", "dev"], "--update-docs takes no other flag"],
    ])("bad flags %j: exit 2, the problem and the usage", (argv, message) => {
      const r = cli(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stderr).toContain(USAGE);
      expect(r.stdout).toBe("");
    });
  });

  it(`${DOCS_FILE}'s cost table is exactly what \`npm run cost -- --update-docs\` generates`, () => {
    const docs = readFileSync(join(ROOT, DOCS_FILE), "utf8");
    const committed = docs.slice(docs.indexOf(DOCS_BEGIN) + DOCS_BEGIN.length, docs.indexOf(DOCS_END)).trim();
    expect(committed, "run `npm run cost -- --update-docs`").toBe(docsBlock(ROOT));
    expect(replaceDocsBlock(docs, docsBlock(ROOT))).toBe(docs);
    expect(committed).toMatch(/\| \*\*total, idle\*\* \| \*\*\$28\.18\*\* \| \*\*\$139\.87\*\* \|/);
  });
});
