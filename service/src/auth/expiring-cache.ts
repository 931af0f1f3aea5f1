/**
 * A bounded cache whose entries expire at a time given per entry: the service keeps checked claims
 * per token (until the token's `exp`), the local gateway keeps authorizer verdicts (for the TTL,
 * never past `exp`), as API Gateway does. Full: the oldest insertion goes first (Map order).
 * Why the service caches at all: decoding the token (jwt-decode's base64 → UTF-8 pass) was the
 * top hot spot of /me in the profile, and a mobile app sends the same id token for up to an hour.
 */
export class ExpiringCache<V> {
  private readonly entries = new Map<string, { readonly value: V; readonly expiresAtMs: number }>();

  /** At most this many entries; 0 turns the cache off. */
  constructor(private readonly maxEntries: number) {}

  /** The value if still valid at `nowMs`; an expired entry is dropped. */
  get(key: string, nowMs: number): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, expiresAtMs: number): void {
    if (this.maxEntries <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, expiresAtMs });
  }

  get size(): number {
    return this.entries.size;
  }
}
