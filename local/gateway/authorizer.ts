/**
 * A Cognito user-pool authorizer as API Gateway runs it for methods without OAuth scopes:
 * identity source = the Authorization header (raw token or `Bearer <token>`); the token must be
 * an id token of this pool, signed by a key of the pool's JWKS, for this app client (`aud`), not
 * expired. Verdicts are cached per header value for the TTL, never past the token's `exp`.
 */
import { JwtRsaVerifier } from "aws-jwt-verify";
import {
  CognitoJwtInvalidTokenUseError,
  JwtExpiredError,
  JwtInvalidClaimError,
  JwtInvalidSignatureError,
  JwtParseError,
  KidNotFoundInJwksError,
} from "aws-jwt-verify/error";
import type { Jwks } from "aws-jwt-verify/jwk";
import { tokenFromAuthorization } from "../../contract/authorization";
import { gatewayMessages } from "../../contract/gateway-responses";
import { ExpiringCache } from "../../service/src/auth/expiring-cache";

/** Why a token was refused; goes to the gateway log, never to the client. */
export type DenyReason = "missing" | "malformed" | "unknown_key" | "bad_signature" | "expired" | "wrong_token_use" | "bad_claims";

export type AuthorizerVerdict =
  | { readonly allow: true; readonly sub: string; readonly expiresAt: number }
  | { readonly allow: false; readonly reason: DenyReason; readonly message: string };

export interface AuthorizerOptions {
  /** The pool's issuer, exactly as in the tokens' `iss`. */
  readonly issuer: string;
  /** The app client id: the id token's `aud`. */
  readonly clientId: string;
  /** The pool's signing keys (fetched by the caller: aws-jwt-verify will not fetch over http). */
  readonly jwks: Jwks;
  /** Result cache TTL in seconds, 0..3600; 0 turns the cache off. API Gateway's default is 300. */
  readonly ttlSeconds: number;
  /** Clock, for tests. */
  readonly now?: () => number;
}

export interface Authorizer {
  authorize(authorization: string | undefined): AuthorizerVerdict;
  /** How many tokens were actually verified (cache misses), for tests and logs. */
  readonly verifications: number;
}

const UNAUTHORIZED = gatewayMessages.unauthorized;

function deny(reason: DenyReason): AuthorizerVerdict {
  return { allow: false, reason, message: reason === "expired" ? gatewayMessages.expired : UNAUTHORIZED };
}

function reasonOf(err: unknown): DenyReason {
  if (err instanceof JwtExpiredError) return "expired";
  if (err instanceof JwtInvalidSignatureError) return "bad_signature";
  if (err instanceof KidNotFoundInJwksError) return "unknown_key";
  if (err instanceof CognitoJwtInvalidTokenUseError) return "wrong_token_use";
  if (err instanceof JwtInvalidClaimError) return "bad_claims";
  if (err instanceof JwtParseError) return "malformed";
  return "malformed";
}

export function createAuthorizer(options: AuthorizerOptions): Authorizer {
  if (options.ttlSeconds < 0 || options.ttlSeconds > 3600) throw new Error(`ttlSeconds must be 0..3600, got ${options.ttlSeconds}`);
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlSeconds * 1000;
  const verifier = JwtRsaVerifier.create({
    issuer: options.issuer,
    audience: options.clientId,
    // Without OAuth scopes on the method, only id tokens pass.
    customJwtCheck: ({ payload }) => {
      if (payload.token_use !== "id")
        throw new CognitoJwtInvalidTokenUseError(`Token use must be id, got ${String(payload.token_use)}`, payload.token_use, "id");
    },
  });
  verifier.cacheJwks(options.jwks);
  const cache = new ExpiringCache<AuthorizerVerdict>(10_000);
  let verifications = 0;

  function verify(token: string): AuthorizerVerdict {
    verifications++;
    try {
      const payload = verifier.verifySync(token);
      if (typeof payload.sub !== "string" || payload.sub === "" || typeof payload.exp !== "number") return deny("bad_claims");
      return { allow: true, sub: payload.sub, expiresAt: payload.exp };
    } catch (err) {
      return deny(reasonOf(err));
    }
  }

  function authorize(authorization: string | undefined): AuthorizerVerdict {
    const read = tokenFromAuthorization(authorization);
    // No Authorization header (or an empty one), or not one JWT: refused before any verification.
    if ("refused" in read) return deny(read.refused);
    const nowMs = now();
    const cached = ttlMs > 0 ? cache.get(read.token, nowMs) : undefined;
    if (cached) return cached;
    const verdict = verify(read.token);
    if (ttlMs > 0) {
      const until = verdict.allow ? Math.min(nowMs + ttlMs, verdict.expiresAt * 1000) : nowMs + ttlMs;
      cache.set(read.token, verdict, until);
    }
    return verdict;
  }

  return {
    authorize,
    get verifications() {
      return verifications;
    },
  };
}
