import { JwtVerifier } from "aws-jwt-verify";
import { JwtExpiredError, JwtInvalidAudienceError, JwtInvalidIssuerError, KidNotFoundInJwksError } from "aws-jwt-verify/error";
import type { Jwks } from "aws-jwt-verify/jwk";
import { get as httpGet } from "node:http";
import { get as httpsGet } from "node:https";
import { jwtDecode } from "jwt-decode";
import { ApiError } from "../http/api-error";
import { UnauthorizedError } from "./errors";

/** Seconds a client should wait when the signing keys are not loaded yet. */
const KEYS_NOT_LOADED_RETRY_AFTER_S = 2;

/**
 * Verifies a token's signature (verify mode). Throws UnauthorizedError (401) when it is not
 * genuine, and ApiError `unavailable` (503) while the keys are not loaded yet.
 */
export interface SignatureVerifier {
  verify(token: string): Promise<void>;
}

export interface JwksSignatureVerifierOptions {
  /** Accepted issuers; every one is verified against the same pool JWKS. Required. */
  readonly issuers: readonly string[];
  /** The app client id (`aud`). Required. */
  readonly clientId: string;
  /** Where the pool's JWKS is served: `<issuer>/.well-known/jwks.json`. */
  readonly jwksUri: string;
  /** At most one refetch per this many ms when a token names an unknown key id. */
  readonly minRefetchIntervalMs?: number;
  /** Fetch timeout in ms. */
  readonly fetchTimeoutMs?: number;
  readonly fetchJwks?: (uri: string, timeoutMs: number) => Promise<Jwks>;
  readonly now?: () => number;
}

/**
 * aws-jwt-verify does the cryptography and the claim checks; the JWKS is fetched here and handed
 * to it with `cacheJwks`, and tokens are checked with `verifySync`, so aws-jwt-verify never fetches
 * on its own. Why: it refuses http JWKS URIs (cognito-local serves http), and owning the fetch
 * gives one behaviour everywhere — keys loaded at start, refetched on an unknown kid at most once
 * per interval, and the cached keys kept when a refetch fails.
 */
export class JwksSignatureVerifier implements SignatureVerifier {
  /** One single-issuer verifier per accepted issuer; all share the pool's JWKS. */
  private readonly verifiers: ReadonlyMap<string, ReturnType<typeof createVerifier>>;
  private readonly options: Required<Omit<JwksSignatureVerifierOptions, "fetchJwks" | "now">>;
  private readonly fetchJwks: (uri: string, timeoutMs: number) => Promise<Jwks>;
  private readonly now: () => number;
  private loaded = false;
  private lastFetchAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<boolean> | undefined;

  constructor(options: JwksSignatureVerifierOptions) {
    if (options.issuers.length === 0) throw new Error("JwksSignatureVerifier: issuers must not be empty");
    if (!options.clientId) throw new Error("JwksSignatureVerifier: clientId is required");
    this.options = { minRefetchIntervalMs: 30_000, fetchTimeoutMs: 3_000, ...options };
    this.fetchJwks = options.fetchJwks ?? fetchJwksOverHttp;
    this.now = options.now ?? Date.now;
    this.verifiers = new Map(options.issuers.map((issuer) => [issuer, createVerifier(issuer, options.clientId)]));
  }

  /** True once a JWKS has been loaded; readiness depends on it. */
  get ready(): boolean {
    return this.loaded;
  }

  /** Where the keys come from, for log lines. */
  get jwksUri(): string {
    return this.options.jwksUri;
  }

  /** Load the JWKS (at start). Rejects with the fetch error so the caller can log it. */
  async load(): Promise<void> {
    this.lastFetchAt = this.now();
    const jwks = await this.fetchJwks(this.options.jwksUri, this.options.fetchTimeoutMs);
    this.cache(jwks);
  }

  async verify(token: string): Promise<void> {
    try {
      this.verifyOnce(token);
    } catch (err) {
      if (!(err instanceof KidNotFoundInJwksError) || !(await this.refetch())) throw toUnauthorized(err);
      try {
        this.verifyOnce(token);
      } catch (again) {
        throw toUnauthorized(again);
      }
    }
  }

  private verifyOnce(token: string): void {
    // Not the caller's fault: 503 so clients retry, not 401 so apps do not sign users out.
    if (!this.loaded) {
      throw new ApiError("unavailable", "Signing keys not loaded yet", {
        reason: "jwks_unavailable",
        headers: { "Retry-After": String(KEYS_NOT_LOADED_RETRY_AFTER_S) },
      });
    }
    const verifier = this.verifiers.get(unverifiedIssuer(token));
    if (!verifier) throw new UnauthorizedError("wrong_issuer");
    verifier.verifySync(token);
  }

  /** Refetch the JWKS after an unknown kid, at most once per interval; failures keep the old keys. */
  private refetch(): Promise<boolean> {
    if (this.inFlight) return this.inFlight;
    if (this.now() - this.lastFetchAt < this.options.minRefetchIntervalMs) return Promise.resolve(false);
    this.inFlight = this.load()
      .then(
        () => true,
        () => false,
      )
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  private cache(jwks: Jwks): void {
    for (const verifier of this.verifiers.values()) verifier.cacheJwks(jwks);
    this.loaded = true;
  }
}

function createVerifier(issuer: string, clientId: string) {
  // The jwksUri is never fetched by aws-jwt-verify: only verifySync is used, on cached keys.
  return JwtVerifier.create({ issuer, audience: clientId, jwksUri: "https://jwks.invalid/.well-known/jwks.json" });
}

/** The `iss` of a token not yet verified, only to pick the verifier that will check it. */
function unverifiedIssuer(token: string): string {
  try {
    const iss = jwtDecode<{ iss?: unknown } | null>(token)?.iss;
    return typeof iss === "string" ? iss : "";
  } catch {
    return "";
  }
}

function toUnauthorized(err: unknown): ApiError {
  // Already decided: a named 401 reason, or the 503 above
  if (err instanceof ApiError) return err;
  if (err instanceof JwtExpiredError) return new UnauthorizedError("expired", err);
  if (err instanceof JwtInvalidIssuerError) return new UnauthorizedError("wrong_issuer", err);
  if (err instanceof JwtInvalidAudienceError) return new UnauthorizedError("wrong_audience", err);
  // Forged signature, alg none, unknown kid, malformed JWT…
  return new UnauthorizedError("bad_signature", err);
}

/**
 * GET the pool's JWKS over http(s). node:http(s) rather than global `fetch`: the first `fetch`
 * loads undici's fetch machinery, ~8 MB of RSS for the life of the process (measured: verify
 * mode idled at 92 MB vs 84 MB in decode mode), for one small request at start.
 * aws-jwt-verify's own fetcher is https-only, and cognito-local serves http.
 */
export function fetchJwksOverHttp(uri: string, timeoutMs: number): Promise<Jwks> {
  return new Promise((resolve, reject) => {
    const fail = (why: string, cause?: unknown) => reject(new Error(`JWKS fetch from ${uri} ${why}`, { cause }));
    let url: URL;
    try {
      url = new URL(uri);
    } catch (err) {
      fail("failed: not a URL", err);
      return;
    }
    const get = url.protocol === "https:" ? httpsGet : url.protocol === "http:" ? httpGet : undefined;
    if (!get) {
      fail(`failed: unsupported protocol ${url.protocol}`);
      return;
    }
    const req = get(url, { timeout: timeoutMs, headers: { accept: "application/json" } }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        fail(`answered ${res.statusCode}`);
        return;
      }
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", (err) => fail(`failed: ${err.message}`, err));
      res.on("end", () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch (err) {
          fail("failed: the body is not JSON", err);
          return;
        }
        if (typeof body !== "object" || body === null || !Array.isArray((body as { keys?: unknown }).keys)) {
          reject(new Error(`JWKS from ${uri} has no "keys" array`));
          return;
        }
        resolve(body as Jwks);
      });
    });
    req.on("timeout", () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    // The reason (ECONNREFUSED, ENOTFOUND, a timeout…) is what an operator needs in the log line.
    req.on("error", (err: NodeJS.ErrnoException) => fail(`failed: ${err.code ?? err.message}`, err));
  });
}
