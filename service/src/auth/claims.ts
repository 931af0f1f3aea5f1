import type { MiddlewareHandler } from "hono";
import { jwtDecode } from "jwt-decode";
import type { Claims } from "../../../contract/claims";
import type { NodeBindings } from "../app-env";
import type { Clock } from "../clock";
import { requestHeader } from "../http/header";
import { ExpiringCache } from "./expiring-cache";
import { claimsFromPayload } from "./checks";
import { UnauthorizedError } from "./errors";
import type { SignatureVerifier } from "./signature";
import { tokenFromHeader } from "./token";

export interface ClaimsOptions {
  /** Accepted `iss` values (acceptedIssuers(config issuer)). Required, no default. */
  readonly issuers: readonly string[];
  /** The app client id; must equal the id token's `aud`. Required, no default. */
  readonly clientId: string;
  /**
   * Verifies the signature too (AUTH_MODE=verify). Pass null explicitly for decode mode, where the
   * API Gateway Cognito authorizer has verified it — only if the service is reachable solely through it.
   */
  readonly signature: SignatureVerifier | null;
  /** Tokens whose claims are kept after the first check (0 turns the cache off). Default 1000. */
  readonly cacheSize?: number;
}

export type ClaimsEnv = { Bindings: NodeBindings; Variables: { claims: Claims } };

/**
 * Puts the caller's typed `Claims` on the context (`c.get("claims")`) from the id token in
 * `Authorization`, or throws UnauthorizedError (401). Identity comes only from the token.
 */
export function claims(options: ClaimsOptions, clock: Clock): MiddlewareHandler<ClaimsEnv> {
  if (options.issuers.length === 0) throw new Error("claims: issuers must not be empty");
  if (!options.clientId) throw new Error("claims: clientId is required");
  const issuers = [...options.issuers];
  const { clientId, signature } = options;
  const cache = new ExpiringCache<Claims>(options.cacheSize ?? 1000);

  return async function claimsMiddleware(c, next) {
    const header = requestHeader(c, "authorization");
    const now = clock.now();
    // Keyed by the header value as sent: a hit skips parsing it too. Only accepted tokens are kept.
    let found = header === undefined ? undefined : cache.get(header, now);
    if (!found) {
      const token = tokenFromHeader(header);
      found = claimsFromPayload(decode(token), { issuers, clientId, now });
      if (signature) await signature.verify(token);
      cache.set(header as string, found, found.expiresAt * 1000);
    }
    c.set("claims", found);
    await next();
  };
}

function decode(token: string): unknown {
  let header: unknown;
  let payload: unknown;
  try {
    header = jwtDecode<unknown>(token, { header: true });
    payload = jwtDecode<unknown>(token);
  } catch (err) {
    // Garbage base64 or a part that is not JSON
    throw new UnauthorizedError("undecodable_token", err);
  }
  // The JOSE header must be one too: `Bearer<jwt>` (no space) would otherwise pass as a token whose
  // header is garbage. `alg: none` never comes from Cognito.
  const alg = (header as { alg?: unknown } | null)?.alg;
  if (typeof header !== "object" || header === null || typeof alg !== "string" || alg.toLowerCase() === "none") {
    throw new UnauthorizedError("undecodable_token");
  }
  return payload;
}
