/**
 * Config section for the user pool's email: Cognito's default sender is capped at about 50 emails
 * a day, so sign-ups and password resets stop at launch unless a production pool sends through
 * Amazon SES (`emailSendingAccount: DEVELOPER`). Keys: `emailSesIdentityArn`, `emailFrom`,
 * `emailReplyTo`, and the waiver `allowCognitoDefaultEmail`. Composed in config.ts's parseConfig
 * after the core section, whose `protect` the launch rule reads. Setup: docs/deploy.md "Email".
 */
import * as z from "zod";
import { configKey, type ConfigReader } from "./reader";
import type { CoreConfig } from "./core";

/** Sending through a verified SES identity. */
export interface SesEmail {
  /** `arn:aws:ses:<region>:<account>:identity/<domain or address>`, verified, with a sending policy for Cognito. */
  readonly identityArn: string;
  /** The SES region the ARN names (the pool's own, or one Cognito allows for it). */
  readonly identityRegion: string;
  /** FROM: `noreply@example.com` or `Example <noreply@example.com>`, an address of the identity. */
  readonly from: string;
  /** REPLY-TO address, when set. */
  readonly replyTo: string | undefined;
}

export interface EmailConfig {
  /** SES sending; undefined: Cognito's default sender (capped, see above). */
  readonly sesEmail: SesEmail | undefined;
  /**
   * Explicit waiver: a protected (production) stack may use Cognito's default sender. Refused while
   * SES is configured (the waiver would be stale); meant to be removed once SES is set up.
   */
  readonly allowCognitoDefaultEmail: boolean;
}

/**
 * Where a pool's SES identity may be: the pool's own region always; for pools in the regions below,
 * also the three "alternate" regions us-east-1, us-west-2 and eu-west-1 (kept for pools created when
 * Cognito could only use those). Source: Amazon Cognito Developer Guide, "Email settings for Amazon
 * Cognito user pools" → "Amazon SES email configuration Regions"
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-email.html#user-pool-email-developer-region-mapping;
 * the table as in awsdocs/amazon-cognito-developer-guide doc_source/user-pool-email.md). A region the
 * table does not list gets its own region only — the rule the page states for every pool.
 */
export const SES_ALTERNATE_REGIONS = ["us-east-1", "us-west-2", "eu-west-1"] as const;
export const POOL_REGIONS_WITH_SES_ALTERNATES: readonly string[] = [
  "us-east-1",
  "us-east-2",
  "us-west-2",
  "ca-central-1",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "eu-west-1",
  "eu-west-2",
  "eu-central-1",
];

/** The SES regions a pool in `poolRegion` may send from. */
export function sesRegionsFor(poolRegion: string): string[] {
  const alternates = POOL_REGIONS_WITH_SES_ALTERNATES.includes(poolRegion) ? SES_ALTERNATE_REGIONS : [];
  return [...new Set([poolRegion, ...alternates])];
}

const IDENTITY_ARN = /^arn:(aws|aws-cn|aws-us-gov):ses:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):identity\/([^/\s]+)$/;
const isAddress = (value: string): boolean => z.email().safeParse(value).success;

/** `a@b.c` or `Display Name <a@b.c>` → the address; undefined when neither (CR/LF never pass). */
export function addressOf(from: string): string | undefined {
  if (/[\r\n]/.test(from)) return undefined;
  const named = /^([^<>"]*?)\s*<([^<>\s]+)>$/.exec(from);
  const address = named?.[2] ?? from;
  return isAddress(address) ? address : undefined;
}

/** Whether `address` is one the identity (an address, or a domain and its subdomains) may send as. */
function belongsTo(address: string, identity: string): boolean {
  const a = address.toLowerCase();
  const id = identity.toLowerCase();
  if (id.includes("@")) return a === id;
  const domain = a.slice(a.lastIndexOf("@") + 1);
  return domain === id || domain.endsWith(`.${id}`);
}

/**
 * `poolRegion`: the stack's `aws:region` (undefined when unknown; SES sending then cannot be checked
 * and is refused with a message saying so).
 */
export function readEmailConfig(r: ConfigReader, core: CoreConfig, poolRegion: string | undefined): EmailConfig {
  const arnKey = configKey("emailSesIdentityArn");
  const fromKey = configKey("emailFrom");
  const rawArn = r.value("emailSesIdentityArn");
  const rawFrom = r.value("emailFrom");
  const rawReplyTo = r.value("emailReplyTo");
  const allowCognitoDefaultEmail = r.bool("allowCognitoDefaultEmail", false);
  const set = (v: unknown) => v !== undefined && v !== "";

  let sesEmail: SesEmail | undefined;
  if (set(rawArn) || set(rawFrom) || set(rawReplyTo)) {
    const arn = typeof rawArn === "string" ? IDENTITY_ARN.exec(rawArn) : null;
    if (!set(rawArn))
      r.problem(
        "emailSesIdentityArn",
        `required when ${fromKey} or ${configKey("emailReplyTo")} is set: the ARN of the verified SES identity the pool sends through`,
      );
    else if (!arn) r.fail("emailSesIdentityArn", rawArn, "an SES identity ARN, arn:aws:ses:<region>:<12-digit account>:identity/<domain or email address>");

    const from = typeof rawFrom === "string" ? rawFrom.trim() : undefined;
    const fromAddress = from === undefined ? undefined : addressOf(from);
    if (!set(rawFrom)) r.problem("emailFrom", `required with ${arnKey}: the FROM address, e.g. noreply@example.com or "Example <noreply@example.com>"`);
    else if (!fromAddress) r.fail("emailFrom", rawFrom, 'an email address, or "Display Name <address>"');

    const replyTo = typeof rawReplyTo === "string" && rawReplyTo !== "" ? rawReplyTo.trim() : undefined;
    if (set(rawReplyTo) && !(replyTo !== undefined && !/[\r\n]/.test(replyTo) && isAddress(replyTo))) r.fail("emailReplyTo", rawReplyTo, "an email address");

    if (arn) {
      const identityRegion = arn[2] ?? "";
      const identity = arn[4] ?? "";
      if (poolRegion === undefined) {
        r.problem("emailSesIdentityArn", "cannot check that the SES region suits the user pool without the pool's region: set aws:region in the stack file");
      } else if (!sesRegionsFor(poolRegion).includes(identityRegion)) {
        r.problem(
          "emailSesIdentityArn",
          `SES region ${identityRegion} is not one a user pool in ${poolRegion} can send from; allowed: ${sesRegionsFor(poolRegion).join(" | ")} ` +
            '(Cognito Developer Guide, "Amazon SES email configuration Regions")',
        );
      }
      if (fromAddress && !belongsTo(fromAddress, identity)) {
        r.problem(
          "emailFrom",
          `${JSON.stringify(fromAddress)} is not an address of the SES identity ${identity} (${arnKey}): use ${identity.includes("@") ? identity : `an address at ${identity} or a subdomain`}`,
        );
      }
      if (fromAddress && from) sesEmail = { identityArn: rawArn as string, identityRegion, from, replyTo };
    }
  }

  if (core.protect && !sesEmail && !allowCognitoDefaultEmail && !(set(rawArn) || set(rawFrom))) {
    r.problem(
      "emailSesIdentityArn",
      `a protected (production) stack needs SES sending: Cognito's default sender stops at about 50 emails a day. ` +
        `Set ${arnKey} and ${fromKey} (docs/deploy.md "Email"), or set ${configKey("allowCognitoDefaultEmail")} true to accept the cap`,
    );
  }
  if (allowCognitoDefaultEmail && set(rawArn)) {
    r.problem("allowCognitoDefaultEmail", `true, but ${arnKey} is set: the pool sends through SES; remove the waiver`);
  }
  return { sesEmail, allowCognitoDefaultEmail };
}
