import type { Claims } from "../../../contract/claims";
import { MAX_ID_TOKEN_LIFETIME_SECONDS, TOKEN_CLOCK_SKEW_SECONDS } from "../../../contract/token-times";
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
 * Cognito's `sub` is a UUID (36 characters). The bound leaves room for any future form while
 * keeping the sub, the DynamoDB partition key, far below DynamoDB's 2 048-byte key limit: a longer
 * sub would reach the store and be refused there (a 400), not at the token check (a 401).
 */
export const MAX_SUB_LENGTH = 128;

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
  if (p.sub.length > MAX_SUB_LENGTH) throw new UnauthorizedError("sub_too_long");
  // A lone surrogate ("\ud800", "\udfff") becomes U+FFFD when the sub is stored as UTF-8: two such
  // subs would share one partition (and one cursor digest). Cognito never issues one.
  if (!p.sub.isWellFormed()) throw new UnauthorizedError("sub_not_well_formed");
  // Access tokens carry no aud and must never pass as an identity
  if (p.token_use !== "id") throw new UnauthorizedError("wrong_token_use");
  if (typeof p.iss !== "string" || !options.issuers.includes(p.iss)) throw new UnauthorizedError("wrong_issuer");
  if (p.aud !== options.clientId) throw new UnauthorizedError("wrong_audience");
  const { exp, iat } = tokenTimes(p, options.now / 1000);
  return {
    sub: p.sub,
    email: optionalString(p.email),
    emailVerified: p.email_verified === true || p.email_verified === "true",
    username: optionalString(p["cognito:username"]),
    groups: stringList(p["cognito:groups"]),
    issuedAt: iat,
    expiresAt: exp,
  };
}

/**
 * `exp` and `iat` within what Cognito can issue (contract/token-times.ts): alive, no longer-lived
 * than the longest id token, not issued in the future. Bounded this way, both always make a Date.
 */
function tokenTimes(p: Payload, nowSeconds: number): { exp: number; iat: number } {
  const { exp, iat } = p;
  if (typeof exp !== "number" || !Number.isFinite(exp)) throw new UnauthorizedError("missing_exp");
  if (exp <= nowSeconds) throw new UnauthorizedError("expired");
  // Even a token issued at the edge of the skew expires within a day of it: later is not Cognito's.
  if (exp > nowSeconds + TOKEN_CLOCK_SKEW_SECONDS + MAX_ID_TOKEN_LIFETIME_SECONDS) throw new UnauthorizedError("exp_out_of_range");
  // Cognito always sets iat.
  if (typeof iat !== "number" || !Number.isFinite(iat)) throw new UnauthorizedError("missing_iat");
  // Issued in the future, after its own expiry, or for longer than any id token lives.
  if (iat > nowSeconds + TOKEN_CLOCK_SKEW_SECONDS || iat > exp || exp - iat > MAX_ID_TOKEN_LIFETIME_SECONDS) {
    throw new UnauthorizedError("iat_out_of_range");
  }
  return { exp, iat };
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
