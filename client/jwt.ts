/** Reading (never trusting) token payloads on the client side. */
import { jwtDecode } from "jwt-decode";

export interface TokenPayload {
  sub?: string;
  exp?: number;
  iat?: number;
  iss?: string;
  aud?: string;
  token_use?: string;
  email?: string;
  [claim: string]: unknown;
}

export function decodePayload(token: string): TokenPayload {
  return jwtDecode<TokenPayload>(token);
}

/** A JWT's header (unverified). */
export function decodeHeader(token: string): { kid?: string; alg?: string } {
  return jwtDecode<{ kid?: string; alg?: string }>(token, { header: true });
}

/** Seconds since the epoch when the token expires; 0 if it has no readable `exp`. */
export function expiresAt(token: string): number {
  try {
    const exp = decodePayload(token).exp;
    return typeof exp === "number" ? exp : 0;
  } catch {
    return 0;
  }
}

/**
 * A token time (seconds since the epoch) as ISO 8601 UTC: the one format the CLI and `npm run dev`
 * print. A time no Date can hold (a garbage `exp` such as 2^53−1) is named, never a RangeError.
 */
export function tokenTimeIso(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isNaN(date.getTime()) ? `an invalid time (${seconds})` : date.toISOString();
}
