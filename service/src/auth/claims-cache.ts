import type { Claims } from "../../../contract/claims";

/**
 * Claims already decoded, checked (and in verify mode, verified) per token string. A mobile app
 * sends the same id token for up to an hour, and decoding it (jwt-decode's base64 → UTF-8 pass)
 * was the top hot spot of /me in the profile. A token's claims cannot change, so the only thing
 * to re-check on a hit is `exp`. Bounded: the oldest entry goes first when full.
 */
export class ClaimsCache {
  private readonly entries = new Map<string, Claims>();

  constructor(private readonly maxEntries: number) {}

  /** The cached claims if still valid at `nowMs`; an expired entry is dropped. */
  get(token: string, nowMs: number): Claims | undefined {
    const claims = this.entries.get(token);
    if (claims === undefined) return undefined;
    if (claims.expiresAt * 1000 <= nowMs) {
      this.entries.delete(token);
      return undefined;
    }
    return claims;
  }

  set(token: string, claims: Claims): void {
    if (this.maxEntries <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(token, claims);
  }

  get size(): number {
    return this.entries.size;
  }
}
