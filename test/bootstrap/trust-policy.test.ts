/**
 * couldAssume, the trust-policy evaluator the invariant tests rely on: it must say yes only where
 * STS would, so it is shown admitting what a loose policy admits, and refusing what it must.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { couldAssume, environmentSubject, githubTrustPolicy, type PolicyDocument } from "../../bootstrap/trust-policy";

const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const REPO = "example-org/user-aware-api";
const request = (sub: string, aud = "sts.amazonaws.com") => ({ providerArn: PROVIDER, claims: { sub, aud } });

/** A trust policy as it is often (too loosely) written: StringLike with a wildcard. */
const loose = (sub: string): PolicyDocument => ({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Allow",
      Principal: { Federated: PROVIDER },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
        StringLike: { "token.actions.githubusercontent.com:sub": sub },
      },
    },
  ],
});

describe("couldAssume", () => {
  it("sees what a wildcard admits: every branch and PR of the repository, or every repository of the owner", () => {
    expect(couldAssume(loose(`repo:${REPO}:*`), request(`repo:${REPO}:ref:refs/heads/feature`))).toBe(true);
    expect(couldAssume(loose(`repo:${REPO}:*`), request(`repo:${REPO}:pull_request`))).toBe(true);
    expect(couldAssume(loose("repo:example-org/*"), request("repo:example-org/other:environment:prod"))).toBe(true);
    expect(couldAssume(loose("repo:example-org/user-aware-ap?:environment:prod"), request("repo:example-org/user-aware-apx:environment:prod"))).toBe(true);
  });

  it("treats regex characters in a pattern literally", () => {
    expect(couldAssume(loose("repo:example-org/a.b:environment:prod"), request("repo:example-org/aXb:environment:prod"))).toBe(false);
  });

  it("a matching Deny statement wins over an Allow", () => {
    const policy = loose(`repo:${REPO}:*`);
    const withDeny: PolicyDocument = {
      ...policy,
      Statement: [
        ...policy.Statement,
        {
          Effect: "Deny",
          Principal: "*",
          Action: "sts:*",
          Condition: { StringLike: { "token.actions.githubusercontent.com:sub": `repo:${REPO}:pull_request` } },
        },
      ],
    };
    expect(couldAssume(withDeny, request(`repo:${REPO}:pull_request`))).toBe(false);
    expect(couldAssume(withDeny, request(`repo:${REPO}:ref:refs/heads/main`))).toBe(true);
  });

  it("refuses to judge a condition operator it does not know", () => {
    const policy: PolicyDocument = {
      ...loose("x"),
      Statement: [{ ...loose("x").Statement[0]!, Condition: { "ForAnyValue:StringLike": { "token.actions.githubusercontent.com:sub": "*" } } }],
    };
    expect(() => couldAssume(policy, request("x"))).toThrow(/ForAnyValue:StringLike is not supported/);
  });

  it("the environment trust policy admits exactly one subject: any other string is refused", () => {
    const policy = githubTrustPolicy(PROVIDER, REPO, "prod");
    const exact = environmentSubject(REPO, "prod");
    const nearMisses = fc.oneof(
      fc.string(),
      fc.string().map((s) => `${exact}${s}`),
      fc.string().map((s) => `${s}${exact}`),
      fc.tuple(fc.nat(exact.length - 1), fc.string({ minLength: 1, maxLength: 1 })).map(([i, c]) => exact.slice(0, i) + c + exact.slice(i + 1)),
      fc.constantFrom("*", `repo:${REPO}:*`, `repo:${REPO}:environment:*`, `repo:${REPO}:environment:Prod`, "repo:*:environment:prod"),
    );
    fc.assert(fc.property(nearMisses, (sub) => couldAssume(policy, request(sub)) === (sub === exact)));
  });
});
