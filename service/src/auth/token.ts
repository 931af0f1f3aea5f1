import { UnauthorizedError } from "./errors";

/** A JWT in compact form: three base64url parts (the signature part may be empty: `alg: none`). */
const COMPACT_JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * The token from an Authorization header value. API Gateway's Cognito authorizer accepts the raw
 * token (what the seed and the mobile SDKs send) and `Bearer <token>`, so both are accepted here.
 */
export function tokenFromHeader(header: string | undefined): string {
  // No Authorization header
  if (header === undefined) throw new UnauthorizedError("missing_header");
  const value = header.trim();
  if (value === "") throw new UnauthorizedError("missing_header");
  const bearer = /^bearer\s+(.*)$/i.exec(value);
  const token = bearer ? (bearer[1] as string).trim() : value;
  // `Bearer` alone, two tokens, or not three dot-separated parts
  if (!COMPACT_JWT.test(token)) throw new UnauthorizedError("malformed_header");
  return token;
}
