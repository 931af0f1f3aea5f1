/** The bootstrap in an account whose GitHub OIDC provider exists already: it is used, not created. */
import { expect, it } from "vitest";
import { couldAssume, type PolicyDocument } from "../../bootstrap/trust-policy";
import { ofType, readBootstrapStackFile, runBootstrap, setupBootstrapMocks } from "./bootstrap-mocks";

const EXISTING = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com";

it("with oidcProviderArn set, creates no provider and the one stack's roles trust the existing one", async () => {
  await setupBootstrapMocks({
    ...readBootstrapStackFile(),
    "user-aware-api-bootstrap:oidcProviderArn": EXISTING,
    "user-aware-api-bootstrap:stacks": JSON.stringify(["prod"]),
    "user-aware-api-bootstrap:githubRepository": "Acme/notes.api_2",
  });
  const outputs = await runBootstrap();
  expect(ofType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")).toEqual([]);
  expect(outputs["oidcProviderArn"]).toBe(EXISTING);
  const roles = ofType("aws:iam/role:Role");
  expect(roles.map((r) => r.name).sort()).toEqual(["prod-deploy", "prod-preview"]);
  const deploy = JSON.parse(roles.find((r) => r.name === "prod-deploy")!.inputs["assumeRolePolicy"] as string) as PolicyDocument;
  expect(couldAssume(deploy, { providerArn: EXISTING, claims: { aud: "sts.amazonaws.com", sub: "repo:Acme/notes.api_2:environment:prod" } })).toBe(true);
  expect(couldAssume(deploy, { providerArn: EXISTING, claims: { aud: "sts.amazonaws.com", sub: "repo:Acme/notes.api_2:ref:refs/heads/main" } })).toBe(false);
});
