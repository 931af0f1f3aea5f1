import type { Claims } from "../../../contract/claims";
import { UnauthorizedError } from "./errors";

export interface ClaimCheckOptions {
  /** Accepted `iss` values (see acceptedIssuers). */
  readonly issuers: readonly string[];
  /** The app client id; an id token's `aud`. */
  readonly clientId: string;
  /** Current time in ms. */
  readonly now: number;
}

type Payload = Record<string, unknown>;

/**
 * Checks on what decoding cannot hide, each named after the reason it refuses with. The gateway
 * verified the signature; these make sure the token is an id token of this pool and client, alive,
 * and shaped as the handlers expect — so a bad shape is a 401, never a 500.
 */
export function claimsFromPayload(payload: unknown, options: ClaimCheckOptions): Claims {
  // Payload `null`, a number, an array…
  if (typeof payload !== "object" || payload === null || Array.isArray(payload)) {
    throw new UnauthorizedError("payload_not_object");
  }
  const p = payload as Payload;
  assertNonEmptyString(p.sub, "missing_sub");
  // Access tokens carry no aud and must never pass as an identity
  if (p.token_use !== "id") throw new UnauthorizedError("wrong_token_use");
  if (typeof p.iss !== "string" || !options.issuers.includes(p.iss)) throw new UnauthorizedError("wrong_issuer");
  if (p.aud !== options.clientId) throw new UnauthorizedError("wrong_audience");
  if (typeof p.exp !== "number" || !Number.isFinite(p.exp)) throw new UnauthorizedError("missing_exp");
  if (p.exp * 1000 <= options.now) throw new UnauthorizedError("expired");
  return {
    sub: p.sub,
    email: optionalString(p.email),
    emailVerified: p.email_verified === true || p.email_verified === "true",
    username: optionalString(p["cognito:username"]),
    groups: stringList(p["cognito:groups"]),
    issuedAt: typeof p.iat === "number" && Number.isFinite(p.iat) ? p.iat : p.exp,
    expiresAt: p.exp,
  };
}

function assertNonEmptyString(value: unknown, reason: "missing_sub"): asserts value is string {
  if (typeof value !== "string" || value.trim() === "") throw new UnauthorizedError(reason);
}

function optionalString(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new UnauthorizedError("bad_claim_type");
  return value;
}

function stringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === "string")) {
    throw new UnauthorizedError("bad_claim_type");
  }
  return value;
}
