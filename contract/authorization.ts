/**
 * Reading the id token from an Authorization header, as API Gateway's Cognito authorizer does:
 * the raw token (what the seed and the mobile SDKs send) or `Bearer <token>`. Shared by the
 * service's claims middleware and the local gateway so both accept exactly the same values.
 */

/** A JWT in compact form: three base64url parts (the signature may be empty: `alg: none`). */
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export type AuthorizationToken =
  | { readonly token: string }
  /** `missing`: no header or only white space; `malformed`: not one compact JWT. */
  | { readonly refused: "missing" | "malformed" };

export function tokenFromAuthorization(header: string | undefined): AuthorizationToken {
  const value = header?.trim() ?? "";
  if (value === "") return { refused: "missing" };
  const bearer = /^bearer\s+(.*)$/i.exec(value);
  const token = bearer ? (bearer[1] as string).trim() : value;
  // `Bearer` alone, two tokens, `Basic …`, or not three dot-separated parts
  return COMPACT_JWT.test(token) ? { token } : { refused: "malformed" };
}
