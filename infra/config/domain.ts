/**
 * Custom domain section of the stack config: `domainName`, `domainCertificateArn` (an ACM
 * certificate in the stack's own region, as a REGIONAL API Gateway domain requires) and an optional
 * `domainHostedZoneId` (Route 53) for the alias records. All three unset: no custom domain.
 */
import type { ConfigReader } from "./reader";

export interface CustomDomainConfig {
  /** The API's hostname, e.g. `api.example.com`; `apiUrl` becomes `https://<name>`. */
  readonly name: string;
  /** ACM certificate covering `name`, in the stack's region. */
  readonly certificateArn: string;
  /** Route 53 hosted zone for `name`; unset = you create the DNS records yourself. */
  readonly hostedZoneId: string | undefined;
}

export interface DomainConfig {
  /** Undefined: the API is reached at its execute-api URL. */
  readonly customDomain: CustomDomainConfig | undefined;
}

const CERTIFICATE_ARN = /^arn:(aws|aws-cn|aws-us-gov):acm:([a-z]{2}(?:-[a-z]+)+-\d):(\d{12}):certificate\/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}$/;

/** `region`: the stack's `aws:region` (the program's provider region); undefined when unknown. */
export function readDomainConfig(r: ConfigReader, region: string | undefined): DomainConfig {
  const name = r.optionalString(
    "domainName",
    isHostname,
    "a lowercase DNS hostname such as api.example.com (2+ labels of a-z, 0-9, '-', no wildcard, no trailing dot)",
  );
  const rawCertificate = r.value("domainCertificateArn");
  const hostedZoneId = r.optionalString("domainHostedZoneId", (v) => /^Z[A-Z0-9]{1,31}$/.test(v), "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ");
  const certificateArn = readCertificateArn(r, rawCertificate, region);

  const domainSet = r.value("domainName") !== undefined && r.value("domainName") !== "";
  if (domainSet && rawCertificate === undefined) {
    r.problem("domainCertificateArn", "is required when domainName is set (an ACM certificate for that name in the stack's region)");
  }
  if (!domainSet) {
    if (rawCertificate !== undefined && rawCertificate !== "") r.problem("domainCertificateArn", "is set but domainName is not");
    if (hostedZoneId !== undefined) r.problem("domainHostedZoneId", "is set but domainName is not");
  }
  return { customDomain: name !== undefined && certificateArn !== undefined ? { name, certificateArn, hostedZoneId } : undefined };
}

function readCertificateArn(r: ConfigReader, raw: unknown, region: string | undefined): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  const allowed = "an ACM certificate ARN arn:aws:acm:<region>:<account>:certificate/<uuid>";
  const match = typeof raw === "string" ? CERTIFICATE_ARN.exec(raw) : null;
  if (!match) {
    r.fail("domainCertificateArn", raw, allowed);
    return undefined;
  }
  if (region === undefined) {
    r.problem("domainCertificateArn", "cannot be checked: the stack's region is unknown (set aws:region)");
    return undefined;
  }
  if (match[2] !== region) {
    // A REGIONAL domain name takes a certificate from its own region (us-east-1 is only for EDGE).
    r.fail("domainCertificateArn", raw, `a certificate in the stack's region ${region} (this one is in ${match[2]})`);
    return undefined;
  }
  return raw as string;
}

/** RFC 1123 hostname, lowercase, at least two labels, a non-numeric top-level label. */
export function isHostname(value: string): boolean {
  if (value.length > 253) return false;
  const labels = value.split(".");
  if (labels.length < 2 || /^\d+$/.test(labels[labels.length - 1] ?? "")) return false;
  return labels.every((l) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(l));
}
