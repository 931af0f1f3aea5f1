/**
 * The user pool's SES email keys are validated with the key named;
 * a protected (prod-like) stack without SES is refused unless explicitly waived.
 * (The pool's emailConfiguration itself: invariants.ts "user pool email", run by program-variant.)
 */
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../infra/config";
import { addressOf, sesRegionsFor } from "../../infra/config/email";
import { readStackConfig } from "./mocks";

const ARN = "arn:aws:ses:us-east-1:123456789012:identity/example.com";
const ses = { emailSesIdentityArn: ARN, emailFrom: "Example <noreply@example.com>" };
/** Unprotected, so only the email keys decide. */
const dev = { protect: "false" };

/** `region` null: the stack's region is unknown. */
function issuesOf(raw: Record<string, unknown>, region: string | null = "us-east-1"): string[] {
  try {
    parseConfig(raw, "test", region ?? undefined);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).issues];
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}

/** Pulumi.prod.yaml's keys, bare, as the program reads them. */
function prodFile(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(readStackConfig("prod"))
      .filter(([k]) => k.startsWith("user-aware-api:"))
      .map(([k, v]) => [k.slice("user-aware-api:".length), v]),
  );
}

describe("SES email keys", () => {
  it("a valid identity, from (plain or with a display name) and reply-to become DEVELOPER settings", () => {
    expect(parseConfig({ ...dev, ...ses, emailReplyTo: "support@example.com" }, "test", "us-east-1").sesEmail).toEqual({
      identityArn: ARN,
      identityRegion: "us-east-1",
      from: "Example <noreply@example.com>",
      replyTo: "support@example.com",
    });
    // An email-address identity sends as exactly that address; a domain identity as any address of it or a subdomain.
    const emailIdentity = "arn:aws:ses:us-east-1:123456789012:identity/noreply@example.com";
    expect(parseConfig({ ...dev, emailSesIdentityArn: emailIdentity, emailFrom: "NoReply@Example.com" }, "t", "us-east-1").sesEmail?.replyTo).toBeUndefined();
    expect(parseConfig({ ...dev, emailSesIdentityArn: ARN, emailFrom: "a@mail.example.com" }, "t", "us-east-1").sesEmail?.from).toBe("a@mail.example.com");
  });

  // Each row: raw keys, the key the message must name, and a fragment of what it says.
  const invalid: [string, Record<string, unknown>, string, string][] = [
    [
      "an ARN of another service",
      { emailSesIdentityArn: "arn:aws:sns:us-east-1:123456789012:identity/example.com", emailFrom: "a@example.com" },
      "emailSesIdentityArn",
      "arn:aws:ses:<region>:<12-digit account>:identity/",
    ],
    [
      "an ARN without identity/",
      { emailSesIdentityArn: "arn:aws:ses:us-east-1:123456789012:example.com", emailFrom: "a@example.com" },
      "emailSesIdentityArn",
      "identity/<domain or email address>",
    ],
    [
      "an ARN with a short account",
      { emailSesIdentityArn: "arn:aws:ses:us-east-1:1234:identity/example.com", emailFrom: "a@example.com" },
      "emailSesIdentityArn",
      "12-digit account",
    ],
    ["a from that is no address", { ...ses, emailFrom: "noreply" }, "emailFrom", "an email address"],
    ["a from with a header injection", { ...ses, emailFrom: "a@example.com\r\nBcc: x@evil.example" }, "emailFrom", "an email address"],
    ["a from outside the identity's domain", { ...ses, emailFrom: "a@example.org" }, "emailFrom", "not an address of the SES identity example.com"],
    ["a from that only ends like the domain", { ...ses, emailFrom: "a@notexample.com" }, "emailFrom", "not an address of the SES identity"],
    [
      "a from other than the address identity",
      { emailSesIdentityArn: "arn:aws:ses:us-east-1:123456789012:identity/noreply@example.com", emailFrom: "other@example.com" },
      "emailFrom",
      "use noreply@example.com",
    ],
    ["a reply-to that is no address", { ...ses, emailReplyTo: "support" }, "emailReplyTo", "an email address"],
    ["a from without the identity", { emailFrom: "a@example.com" }, "emailSesIdentityArn", "required when user-aware-api:emailFrom"],
    ["a reply-to alone", { emailReplyTo: "a@example.com" }, "emailSesIdentityArn", "required when"],
    ["the identity without a from", { emailSesIdentityArn: ARN }, "emailFrom", "required with user-aware-api:emailSesIdentityArn"],
    [
      "an SES region no pool there may use",
      { ...ses, emailSesIdentityArn: "arn:aws:ses:eu-west-2:123456789012:identity/example.com" },
      "emailSesIdentityArn",
      "SES region eu-west-2 is not one a user pool in us-east-1 can send from; allowed: us-east-1 | us-west-2 | eu-west-1",
    ],
    ["a non-boolean waiver", { allowCognitoDefaultEmail: "yes" }, "allowCognitoDefaultEmail", "true | false"],
  ];

  it.each(invalid)("refuses %s, naming the key", (_label, raw, key, says) => {
    const issues = issuesOf({ ...dev, ...raw });
    const issue = issues.find((i) => i.startsWith(`user-aware-api:${key}:`));
    expect(issue, issues.join("\n")).toBeDefined();
    expect(issue).toContain(says);
  });

  it("the SES region: the pool's own, or us-east-1/us-west-2/eu-west-1 for the pools Cognito's table lists", () => {
    const at = (sesRegion: string) => ({ ...dev, ...ses, emailSesIdentityArn: `arn:aws:ses:${sesRegion}:123456789012:identity/example.com` });
    // Frankfurt pools may use Ireland; Paris and N. California pools only their own region.
    expect(parseConfig(at("eu-west-1"), "t", "eu-central-1").sesEmail?.identityRegion).toBe("eu-west-1");
    expect(parseConfig(at("eu-west-3"), "t", "eu-west-3").sesEmail?.identityRegion).toBe("eu-west-3");
    expect(issuesOf(at("eu-west-1"), "eu-west-3")[0]).toContain("allowed: eu-west-3 (Cognito Developer Guide");
    expect(issuesOf(at("us-east-1"), "us-west-1")[0]).toContain("allowed: us-west-1 ");
    // A region the table does not list (newer than it): its own region only.
    expect(sesRegionsFor("ap-southeast-3")).toEqual(["ap-southeast-3"]);
    expect(sesRegionsFor("us-east-2")).toEqual(["us-east-2", "us-east-1", "us-west-2", "eu-west-1"]);
  });

  it("without the pool's region (no aws:region) the SES region cannot be checked: refused, saying what to set", () => {
    const issues = issuesOf({ ...dev, ...ses }, null);
    expect(issues).toEqual([expect.stringMatching(/^user-aware-api:emailSesIdentityArn: cannot check .* set aws:region/)]);
  });

  it("reads display-name senders and refuses anything that could add a header", () => {
    expect(addressOf("Example App <noreply@example.com>")).toBe("noreply@example.com");
    expect(addressOf("noreply@example.com")).toBe("noreply@example.com");
    for (const bad of ["<noreply@example.com", "Ex <a@b.c> <d@e.f>", "a@example.com\nX: y", 'Ex "<a@example.com>']) expect(addressOf(bad), bad).toBeUndefined();
  });
});

describe("a protected stack and Cognito's default sender", () => {
  it("Pulumi.prod.yaml validates only through its explicit waiver (no placeholder ARN)", () => {
    const prod = prodFile();
    expect(prod["allowCognitoDefaultEmail"]).toBe("true");
    expect(prod["emailSesIdentityArn"]).toBeUndefined();
    expect(parseConfig(prod, "prod", "us-east-1")).toMatchObject({ protect: true, sesEmail: undefined, allowCognitoDefaultEmail: true });
  });

  it("prod-like config without SES and without the waiver is refused, naming the SES keys and the waiver", () => {
    const { allowCognitoDefaultEmail: _waiver, ...prod } = prodFile();
    const issues = issuesOf(prod);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^user-aware-api:emailSesIdentityArn: a protected \(production\) stack needs SES sending/);
    for (const key of ["user-aware-api:emailSesIdentityArn", "user-aware-api:emailFrom", "user-aware-api:allowCognitoDefaultEmail true"])
      expect(issues[0]).toContain(key);
    expect(issuesOf({ ...prod, allowCognitoDefaultEmail: "false" })[0]).toBe(issues[0]);
  });

  it("prod-like config with SES is accepted, and then a leftover waiver is refused as stale", () => {
    const { allowCognitoDefaultEmail: _waiver, ...prod } = prodFile();
    expect(parseConfig({ ...prod, ...ses }, "prod", "us-east-1").sesEmail?.identityArn).toBe(ARN);
    const stale = issuesOf({ ...prod, ...ses, allowCognitoDefaultEmail: "true" });
    expect(stale).toEqual([
      "user-aware-api:allowCognitoDefaultEmail: true, but user-aware-api:emailSesIdentityArn is set: the pool sends through SES; remove the waiver",
    ]);
  });

  it("an unprotected (dev) stack may use the default sender without a waiver", () => {
    expect(parseConfig(dev, "dev", "us-east-1")).toMatchObject({ sesEmail: undefined, allowCognitoDefaultEmail: false });
  });
});
