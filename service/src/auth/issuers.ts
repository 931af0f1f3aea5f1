/**
 * The issuers a pool's id tokens may carry. Cognito signs with the regional form
 * `https://cognito-idp.<region>.amazonaws.com/<poolId>` and, for the same pool, the global form
 * `https://issuer.cognito-idp.<region>.amazonaws.com/<poolId>` (aws-jwt-verify's
 * cognito-verifier accepts both). Any other configured issuer (cognito-local's) is taken as is.
 */
const COGNITO_ISSUER = /^https:\/\/(issuer\.)?cognito-idp\.([a-z0-9-]+)\.amazonaws\.com\/([\w-]+_[0-9a-zA-Z]+)$/;

export function acceptedIssuers(configured: string): string[] {
  const issuer = configured.replace(/\/+$/, "");
  const match = COGNITO_ISSUER.exec(issuer);
  if (!match) return [issuer];
  const [, , region, poolId] = match;
  return [`https://cognito-idp.${region}.amazonaws.com/${poolId}`, `https://issuer.cognito-idp.${region}.amazonaws.com/${poolId}`];
}
