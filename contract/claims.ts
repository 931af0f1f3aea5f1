import type { z } from "zod";
import type { meSchema } from "./schemas";

/** The caller's identity as the service sees it: taken only from a Cognito id token. */
export interface Claims {
  /** Cognito user id; the DynamoDB partition key of everything the user owns. */
  readonly sub: string;
  readonly email: string | undefined;
  readonly emailVerified: boolean;
  /** `cognito:username` (for email sign-in pools this is the sub, not the email). */
  readonly username: string | undefined;
  /** `cognito:groups`, empty when the user is in none. */
  readonly groups: readonly string[];
  /** `iat`, seconds since the epoch. */
  readonly issuedAt: number;
  /** `exp`, seconds since the epoch. */
  readonly expiresAt: number;
}

/** The JSON body of `GET /me` (contract/schemas.ts). */
export type MeResponse = z.infer<typeof meSchema>;

export function meFromClaims(claims: Claims): MeResponse {
  return {
    sub: claims.sub,
    email: claims.email ?? null,
    emailVerified: claims.emailVerified,
    username: claims.username ?? null,
    groups: [...claims.groups],
    tokenIssuedAt: new Date(claims.issuedAt * 1000).toISOString(),
    tokenExpiresAt: new Date(claims.expiresAt * 1000).toISOString(),
  };
}
