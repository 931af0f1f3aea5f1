/**
 * The README stays the newcomer's page (≤ ~200 lines) and every relative link
 * in README.md and docs/*.md resolves — to a file that exists and, for `#anchor` links into markdown,
 * to a heading GitHub renders with that anchor; so does every repository path in a code comment
 * ("see docs/runtime.md#request-logs", "(service/src/server.ts)"). And the runbook has an entry
 * per alarm of the table.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ALARM_IDS, alarmSpecs, RUNBOOK } from "../../infra/monitoring/alarm-specs";
import { type ConfigError, parseConfig } from "../../infra/config";
import { brokenCommentPaths } from "./comment-links";
import { brokenLinks, parseMarkdown } from "./markdown-links";

const ROOT = path.resolve(__dirname, "../..");
const pages = [
  "README.md",
  ...readdirSync(path.join(ROOT, "docs"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => `docs/${f}`),
];

/** Files whose comments may name repository paths: source, YAML, the Dockerfile and the CI script. */
const COMMENTED = /\.(ts|mts|cjs|ya?ml)$|(^|\/)Dockerfile$|^\.ci\/run$/;
const NOT_OURS = new Set(["node_modules", "dist", ".data", ".build", ".git", "profiles"]);
function commentedFiles(dir = ""): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
    if (entry.isDirectory()) return NOT_OURS.has(entry.name) ? [] : commentedFiles(rel);
    return COMMENTED.test(rel) ? [rel] : [];
  });
}

describe("docs links", () => {
  it("README.md is at most 200 lines", () => {
    expect(readFileSync(path.join(ROOT, "README.md"), "utf8").split("\n").length).toBeLessThanOrEqual(200);
  });

  it("README links every page of docs/", () => {
    const readme = parseMarkdown(readFileSync(path.join(ROOT, "README.md"), "utf8"));
    for (const page of pages.filter((p) => p.startsWith("docs/"))) expect(readme.links, page).toContain(page);
  });

  it.each(pages)("every relative link in %s resolves (file, and heading for #anchors)", (page) => {
    expect(brokenLinks(path.join(ROOT, page), ROOT)).toEqual([]);
  });

  it("every repository path named in a code comment resolves (file, and heading for #anchors into docs)", () => {
    const files = commentedFiles();
    expect(files.length).toBeGreaterThan(200);
    expect(files).toContain("service/Dockerfile");
    expect(files.flatMap((f) => brokenCommentPaths(path.join(ROOT, f), ROOT))).toEqual([]);
  });

  it("the comment checker finds a missing file or heading, and ignores strings, URLs and other packages' paths", () => {
    const file = path.join(ROOT, "service", "src", "example.ts");
    const text = [
      "/** See docs/runtime.md#request-logs, ./app.ts, ../build.ts, http/header.ts and contract/routes.ts. */",
      "// Gone: docs/nope.md, docs/runtime.md#no-such-heading, ./missing.ts, account/gone.ts.",
      "// Not ours: https://github.com/x/y/blob/main/docs/z.md, @pulumi/pulumi/proto/analyzer_pb.js, awsx/ec2/vpc.ts.",
      'const notAComment = "docs/also-gone.md";',
    ].join("\n");
    expect(brokenCommentPaths(file, ROOT, text)).toEqual([
      'service/src/example.ts: "docs/nope.md": no such file docs/nope.md',
      'service/src/example.ts: "docs/runtime.md#no-such-heading": no heading #no-such-heading in docs/runtime.md',
      'service/src/example.ts: "./missing.ts": no such file service/src/missing.ts',
      'service/src/example.ts: "account/gone.ts": no such file service/src/account/gone.ts',
    ]);
    const yaml = path.join(ROOT, "policy", "example.yaml");
    expect(brokenCommentPaths(yaml, ROOT, "# see docs/security.md#policy-pack-crossguard and docs/gone.md\nkey: docs/not-a-comment.md\n")).toEqual([
      'policy/example.yaml: "docs/gone.md": no such file docs/gone.md',
    ]);
  });

  it("the checker finds a missing file, a missing anchor, an anchor into a non-markdown file and a link out of the repo", () => {
    const file = path.join(ROOT, "docs", "example.md");
    const text = [
      "# Title",
      "",
      "## Same name",
      "## Same name",
      "",
      "[ok](deploy.md#config-keys-namespace-user-aware-api) [ok](#same-name-1) [ok](../README.md) [ok](https://example.com/x#y)",
      "[gone](nope.md) [bad anchor](deploy.md#no-such-heading) [self](#missing) [code](../package.json#x) [out](../../etc/passwd)",
      "",
      "```",
      "[in a code block](not-a-link.md)",
      "```",
    ].join("\n");
    expect(brokenLinks(file, ROOT, text)).toEqual([
      "docs/example.md: [nope.md]: no such file docs/nope.md",
      "docs/example.md: [deploy.md#no-such-heading]: no heading #no-such-heading in docs/deploy.md",
      "docs/example.md: [#missing]: no heading #missing in docs/example.md",
      "docs/example.md: [../package.json#x]: an anchor into a file that is not markdown",
      "docs/example.md: [../../etc/passwd] points outside the repository",
    ]);
  });

  it("anchors follow GitHub's slugs: code spans kept, punctuation dropped, duplicates numbered", () => {
    const page = parseMarkdown(
      '## Config keys (namespace `user-aware-api`)\n## WAF\n## WAF\n### api-5xx-rate\n## A/B: what\'s new?\n\n<a id="explicit-anchor"></a>\n**Bold, not a heading**\n',
    );
    expect([...page.anchors]).toEqual(["config-keys-namespace-user-aware-api", "waf", "waf-1", "api-5xx-rate", "ab-whats-new", "explicit-anchor"]);
  });
});

describe("runbook", () => {
  const runbook = parseMarkdown(readFileSync(path.join(ROOT, RUNBOOK), "utf8"));

  it(`${RUNBOOK} has a heading for every alarm id of infra/monitoring/alarm-specs.ts, and no entry for an alarm that does not exist`, () => {
    const entries = runbook.headings.filter((h) => h.level === 3).map((h) => h.anchor);
    expect([...entries].sort()).toEqual([...ALARM_IDS].sort());
    for (const id of ALARM_IDS) expect(runbook.anchors, id).toContain(id);
  });

  it("each runbook entry says what it means, what to check first, the likely causes and what to do", () => {
    const text = readFileSync(path.join(ROOT, RUNBOOK), "utf8");
    for (const id of ALARM_IDS) {
      const section = text.split(`\n### ${id}\n`)[1]?.split(/\n##/)[0] ?? "";
      for (const part of ["**Means:**", "**First checks:**", "**Likely causes:**", "**What to do:**"]) expect(section, `${id}: ${part}`).toContain(part);
    }
  });

  it("the alarm table states each alarm's evaluation (M of N × period) and a key the config accepts", () => {
    const text = readFileSync(path.join(ROOT, RUNBOOK), "utf8");
    const config = parseConfig({ allowCognitoDefaultEmail: "true" });
    const specs = alarmSpecs(
      { apiName: "a", stageName: "s", loadBalancer: "l", targetGroup: "t", clusterName: "c", serviceName: "v", tableName: "n" },
      { minTasks: config.minTasks, tableOperations: ["GetItem"], unauthorizedMetric: { namespace: "ns", name: "m" }, thresholds: config.alarmThresholds },
    );
    for (const spec of specs) {
      const row = text.split("\n").find((line) => line.startsWith(`| [${spec.id}](#${spec.id}) |`));
      expect(row, spec.id).toBeDefined();
      expect(row, spec.id).toContain(`${spec.datapointsToAlarm} of ${spec.evaluationPeriods} × ${spec.periodSeconds / 60} min`);
      const key = /`(alarm[A-Za-z0-9]+|minTasks)`\s*\|$/.exec(row!)?.[1];
      if (key === undefined) continue;
      // A key the config reads: whatever the value, no "unknown key" complaint.
      const issues = (() => {
        try {
          parseConfig({ allowCognitoDefaultEmail: "true", [key]: "1" });
          return [];
        } catch (e) {
          return [...(e as ConfigError).issues];
        }
      })();
      expect(
        issues.filter((i) => i.includes("unknown key")),
        `${spec.id}: ${key}`,
      ).toEqual([]);
    }
  });
});
