/**
 * Test tokens, signed with the smoke suite's RS256 signer (client/smoke/forge.ts, node:crypto, not
 * a JWT library) because the tests need tokens no library would mint: `alg: none`, edited
 * payloads, wrong kids, payloads that are `null` or `[]`.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { signRs256 } from "../../client/smoke/forge";

export const TEST_REGION = "eu-west-2";
export const TEST_POOL_ID = "eu-west-2_TestPool1";
export const TEST_ISSUER = `https://cognito-idp.${TEST_REGION}.amazonaws.com/${TEST_POOL_ID}`;
export const TEST_CLIENT_ID = "testclient1234567890abcdef";

export interface TestKey {
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicJwk: Record<string, unknown>;
}

export function newTestKey(kid = "test-kid-1"): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" });
  return { kid, privateKey, publicJwk: { ...jwk, kid, alg: "RS256", use: "sig" } };
}

/** A compact JWT with any header and payload (payload may be any JSON value, even null). */
export function signJwt(payload: unknown, key: TestKey, header: Record<string, unknown> = {}): string {
  return signRs256(payload, key.privateKey, key.kid, header);
}

/** The seed blog's id token claims, for `sub`, now + ttl. */
export function idTokenClaims(sub: string, overrides: Record<string, unknown> = {}, nowSeconds = Math.floor(Date.now() / 1000)) {
  return {
    sub,
    aud: TEST_CLIENT_ID,
    email_verified: true,
    event_id: "5b7e3b8e-1c43-4c2c-9b4e-0d0b8d6b9c11",
    token_use: "id",
    auth_time: nowSeconds,
    iss: TEST_ISSUER,
    "cognito:username": sub,
    exp: nowSeconds + 3600,
    iat: nowSeconds,
    email: `${sub.slice(0, 8)}@example.com`,
    ...overrides,
  };
}

let sharedKey: TestKey | undefined;
/** One key per test process: RSA key generation is slow. */
export function testKey(): TestKey {
  sharedKey ??= newTestKey();
  return sharedKey;
}

export function idToken(sub: string, overrides: Record<string, unknown> = {}): string {
  return signJwt(idTokenClaims(sub, overrides), testKey());
}
