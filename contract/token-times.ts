/**
 * The time claims (`iat`, `exp`) Cognito can put in an id token. The service refuses anything
 * outside them (401), so a token's times always make a valid Date — `2^53−1` as `exp` once turned
 * `GET /me` into a 500 (RangeError in toISOString).
 */

/** Cognito's id token validity is 5 minutes..1 day (the app client's `idTokenValidity`, in minutes). */
export const ID_TOKEN_VALIDITY_MINUTES = { min: 5, max: 1440 } as const;

/** The longest an id token can live: `exp − iat` of any token Cognito issues. */
export const MAX_ID_TOKEN_LIFETIME_SECONDS = ID_TOKEN_VALIDITY_MINUTES.max * 60;

/**
 * How far the issuer's clock may run ahead of ours. Cognito and Fargate both keep NTP time (well
 * under a second apart); 5 minutes is the usual JWT leeway and covers a dev laptop's drift, while
 * still refusing times no issuer would write.
 */
export const TOKEN_CLOCK_SKEW_SECONDS = 300;
