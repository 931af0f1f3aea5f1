/**
 * The bootstrap program under mocks with its example stack file: GitHub's OIDC provider, and per
 * app stack a deploy role and a read-only preview role, each assumable only by the repository's
 * workflows running in that one GitHub environment.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_ROLE_PATH, READ_ONLY_ACCESS_ARN, type PermissionPolicy } from "../../bootstrap/role-permissions";
import { couldAssume, type PolicyDocument } from "../../bootstrap/trust-policy";
import { ACCOUNT, ofType, readBootstrapStackFile, runBootstrap, setupBootstrapMocks } from "./bootstrap-mocks";

const PROVIDER_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;
const REPO = "example-org/user-aware-api";
const ENVIRONMENTS = ["dev", "dev-preview", "prod", "prod-preview"];

let outputs: Record<string, unknown>;
beforeAll(async () => {
  await setupBootstrapMocks(readBootstrapStackFile());
  outputs = await runBootstrap();
});

const roles = () => ofType("aws:iam/role:Role");
const trustOf = (name: string) => JSON.parse(roles().find((r) => r.name === name)!.inputs["assumeRolePolicy"] as string) as PolicyDocument;
const inlineOf = (role: string) =>
  JSON.parse(ofType("aws:iam/rolePolicy:RolePolicy").find((p) => p.name === `${role}-inline`)!.inputs["policy"] as string) as PermissionPolicy;
const token = (sub: string, aud = "sts.amazonaws.com") => ({ providerArn: PROVIDER_ARN, claims: { sub, aud } });

describe("GitHub's OIDC provider", () => {
  it("is created once, for https://token.actions.githubusercontent.com with the audience sts.amazonaws.com", () => {
    const providers = ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
    expect(providers).toHaveLength(1);
    expect(providers[0]!.inputs).toMatchObject({ url: "https://token.actions.githubusercontent.com", clientIdLists: ["sts.amazonaws.com"] });
    expect(outputs["oidcProviderArn"]).toBe(PROVIDER_ARN);
  });
});

describe("one role per GitHub environment", () => {
  it("a deploy role per stack (environment <stack>) and a preview role (environment <stack>-preview), under the bootstrap's path", () => {
    expect(
      roles()
        .map((r) => r.name)
        .sort(),
    ).toEqual(["dev-deploy", "dev-preview", "prod-deploy", "prod-preview"]);
    for (const role of roles()) expect(role.inputs["path"], role.name).toBe(BOOTSTRAP_ROLE_PATH);
    expect(outputs["environmentRoleArns"]).toEqual({
      dev: { dev: `arn:aws:iam::${ACCOUNT}:role/github-actions/dev-deploy`, "dev-preview": `arn:aws:iam::${ACCOUNT}:role/github-actions/dev-preview` },
      prod: { prod: `arn:aws:iam::${ACCOUNT}:role/github-actions/prod-deploy`, "prod-preview": `arn:aws:iam::${ACCOUNT}:role/github-actions/prod-preview` },
    });
  });

  describe.each([
    ["dev-deploy", "dev"],
    ["dev-preview", "dev-preview"],
    ["prod-deploy", "prod"],
    ["prod-preview", "prod-preview"],
  ])("%s's trust policy", (role, environment) => {
    it("has one statement: the provider may call AssumeRoleWithWebIdentity, aud and sub compared exactly", () => {
      expect(trustOf(role)).toEqual({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "GithubEnvironment",
            Effect: "Allow",
            Principal: { Federated: PROVIDER_ARN },
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: {
                "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
                "token.actions.githubusercontent.com:sub": `repo:${REPO}:environment:${environment}`,
              },
            },
          },
        ],
      });
    });

    it("names exactly one repository and one environment, with no wildcard", () => {
      const subjects = trustOf(role).Statement.flatMap((s) =>
        Object.values(s.Condition ?? {}).flatMap((c) => [c["token.actions.githubusercontent.com:sub"] ?? []].flat()),
      );
      expect(subjects).toEqual([`repo:${REPO}:environment:${environment}`]);
      const [, repository, kind, env] = /^repo:([^:]+):(environment):(.+)$/.exec(subjects[0]!)!;
      expect([repository, kind, env]).toEqual([REPO, "environment", environment]);
      expect(subjects[0]).not.toMatch(/[*?]/);
      expect(Object.keys(trustOf(role).Statement[0]!.Condition!)).toEqual(["StringEquals"]);
    });

    it("admits a token of this repository in this environment", () => {
      expect(couldAssume(trustOf(role), token(`repo:${REPO}:environment:${environment}`))).toBe(true);
    });

    it.each([
      ["another repository, same environment", `repo:other-org/user-aware-api:environment:${environment}`],
      ["a fork's name", `repo:someone/user-aware-api:environment:${environment}`],
      ["a repository whose name extends this one", `repo:${REPO}-fork:environment:${environment}`],
      ["a branch instead of the environment", `repo:${REPO}:ref:refs/heads/main`],
      ["a tag", `repo:${REPO}:ref:refs/tags/v1.0.0`],
      ["a pull request", `repo:${REPO}:pull_request`],
      ["another environment", `repo:${REPO}:environment:${environment === "prod" ? "dev" : "prod"}`],
      ["an environment whose name extends this one", `repo:${REPO}:environment:${environment}-x`],
      ["the environment in other letter case", `repo:${REPO}:environment:${environment.toUpperCase()}`],
    ])("refuses %s", (_what, sub) => {
      expect(couldAssume(trustOf(role), token(sub))).toBe(false);
    });

    it("refuses the right subject with another audience, or from another identity provider", () => {
      const sub = `repo:${REPO}:environment:${environment}`;
      expect(couldAssume(trustOf(role), token(sub, "https://github.com/example-org"))).toBe(false);
      expect(couldAssume(trustOf(role), { providerArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/gitlab.com`, claims: { sub, aud: "sts.amazonaws.com" } })).toBe(
        false,
      );
      expect(couldAssume(trustOf(role), { providerArn: PROVIDER_ARN, claims: { sub } })).toBe(false);
    });
  });

  it("no environment's token can assume another environment's role", () => {
    for (const role of roles()) {
      const own = JSON.parse(role.inputs["assumeRolePolicy"] as string) as PolicyDocument;
      for (const env of ENVIRONMENTS) {
        const expected = role.name === `${env}-deploy` || (role.name === env && env.endsWith("-preview"));
        expect(couldAssume(own, token(`repo:${REPO}:environment:${env}`)), `${role.name} from ${env}`).toBe(expected);
      }
    }
  });
});

describe("what the roles may do", () => {
  it("a deploy role may act only in the account's region on the app's services, and not on the bootstrap's own roles or provider", () => {
    const policy = inlineOf("dev-deploy");
    const regional = policy.Statement.find((s) => s.Sid === "AppServicesInTheStackRegion")!;
    expect(regional.Condition).toEqual({ StringEquals: { "aws:RequestedRegion": "us-east-1" } });
    for (const s of policy.Statement) expect(s.Action, s.Sid).not.toContain("*");
    const allowed = policy.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action);
    expect(
      allowed.filter((a) => a.startsWith("iam:")).every((a) => /^iam:(\w*Role\w*|GetPolicy\w*|ListInstanceProfilesForRole)$/.test(a)),
      allowed.join(),
    ).toBe(true);
    expect(allowed).not.toContain("iam:*");
    expect(allowed.some((a) => a.startsWith("sts:") || a.startsWith("organizations:") || a.startsWith("s3:"))).toBe(false);
    expect(policy.Statement.find((s) => s.Sid === "PassRolesToTasksAndApiGateway")!.Condition).toEqual({
      StringEquals: { "iam:PassedToService": ["ecs-tasks.amazonaws.com", "apigateway.amazonaws.com"] },
    });
    expect(policy.Statement.find((s) => s.Sid === "NotTheBootstrapsOwnRolesOrProvider")).toMatchObject({
      Effect: "Deny",
      Action: ["iam:*"],
      Resource: [`arn:aws:iam::*:role${BOOTSTRAP_ROLE_PATH}*`, "arn:aws:iam::*:oidc-provider/*"],
    });
  });

  it("a preview role reads everything but data: ReadOnlyAccess, minus item, user, log and secret reads; no inline Allow", () => {
    const attached = ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.startsWith("dev-preview"));
    expect(attached.map((a) => a.inputs["policyArn"])).toEqual([READ_ONLY_ACCESS_ARN]);
    const policy = inlineOf("dev-preview");
    expect(policy.Statement.every((s) => s.Effect === "Deny")).toBe(true);
    expect(policy.Statement.flatMap((s) => s.Action)).toEqual(
      expect.arrayContaining([
        "dynamodb:Scan",
        "dynamodb:Query",
        "dynamodb:GetItem",
        "cognito-idp:ListUsers",
        "logs:GetLogEvents",
        "secretsmanager:GetSecretValue",
      ]),
    );
  });

  it("a deploy role has no managed policy attached: only its inline policy", () => {
    expect(ofType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.name.includes("-deploy"))).toEqual([]);
  });
});
