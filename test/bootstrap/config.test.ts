/** The bootstrap's config: owner/repo without wildcards, valid stack names, GitHub's provider ARN. */
import { describe, expect, it } from "vitest";
import { BootstrapConfigError, parseBootstrapConfig } from "../../bootstrap/config";

const VALID = { githubRepository: "example-org/user-aware-api", stacks: '["dev","prod"]' };
const issuesOf = (raw: Record<string, string | undefined>): readonly string[] => {
  try {
    parseBootstrapConfig(raw);
  } catch (err) {
    if (err instanceof BootstrapConfigError) return err.issues;
    throw err;
  }
  return [];
};

describe("bootstrap config", () => {
  it("reads owner/repo, the stacks and no provider ARN from a valid config", () => {
    expect(parseBootstrapConfig(VALID)).toEqual({
      repository: { owner: "example-org", name: "user-aware-api", fullName: "example-org/user-aware-api" },
      stacks: ["dev", "prod"],
      oidcProviderArn: undefined,
    });
  });

  it.each([
    "*/*",
    "example-org/*",
    "*/user-aware-api",
    "example-org/user-aware-api*",
    "example-?rg/api",
    "example-org",
    "example-org/",
    "/api",
    "example-org/api/extra",
    "-org/api",
    "org-/api",
    "or--g/api",
    "example-org/..",
    "example org/api",
    "example-org/api:environment:prod",
    "",
  ])("refuses githubRepository %j, naming the key", (repo) => {
    expect(issuesOf({ ...VALID, githubRepository: repo })).toEqual([
      `user-aware-api-bootstrap:githubRepository: "${repo}" is not owner/repo (GitHub names: no wildcard, no extra "/")`,
    ]);
  });

  it.each([
    ['["dev","dev"]', "a stack is listed twice"],
    ["[]", "expected array to have >=1 items"],
    ['["dev-preview"]', '"dev-preview" ends in "-preview"'],
    ['["prod*"]', '"prod*" is not a stack name'],
    ['["a:b"]', '"a:b" is not a stack name'],
    ["dev", "not a list"],
  ])("refuses stacks %s", (stacks, message) => {
    const issues = issuesOf({ ...VALID, stacks });
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^user-aware-api-bootstrap:stacks: /);
    expect(issues[0]).toContain(message);
  });

  it("lists every problem at once: missing keys, an unknown key, a provider ARN that is not GitHub's", () => {
    expect(issuesOf({ oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/gitlab.com", githubRepo: "x/y" })).toEqual([
      "user-aware-api-bootstrap:githubRepository: required (owner/repo)",
      "user-aware-api-bootstrap:stacks: required (a list of the app's stack names)",
      "user-aware-api-bootstrap:oidcProviderArn: not the ARN of GitHub's OIDC provider (arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com)",
      "user-aware-api-bootstrap:githubRepo: unknown key",
    ]);
  });
});
