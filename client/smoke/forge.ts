/**
 * Tokens the smoke suite forges to prove the gateway refuses them: RS256 with node:crypto, so
 * nothing but the key decides. A fresh key with kid "CognitoLocal" and correct claims must be
 * refused (signature); cognito-local's own key (shipped in node_modules, local stack only)
 * mints a correctly signed but expired token, which proves real expiry handling.
 */
import { createPrivateKey, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { readFileSync } from "node:fs";
import { decodePayload, type TokenPayload } from "../jwt";

const b64url = (value: Buffer | string): string => Buffer.from(value).toString("base64url");

/** An RS256 JWT over any payload (even one that is not an object), extra header fields allowed. */
export function signRs256(payload: unknown, key: KeyObject, kid: string, headerFields: Record<string, unknown> = {}): string {
  const header = b64url(JSON.stringify({ alg: "RS256", typ: "JWT", kid, ...headerFields }));
  const body = b64url(JSON.stringify(payload));
  const signature = sign("sha256", Buffer.from(`${header}.${body}`), key);
  return `${header}.${body}.${b64url(signature)}`;
}

export function freshRsaKey(): KeyObject {
  return generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
}

/** The key cognito-local signs with, if cognito-local is installed (devDependency). */
export function cognitoLocalKey(): KeyObject | undefined {
  try {
    const file = require.resolve("cognito-local/lib/keys/cognitoLocal.private.json");
    const { pem } = JSON.parse(readFileSync(file, "utf8")) as { pem: string };
    return createPrivateKey(pem);
  } catch {
    return undefined;
  }
}

export const COGNITO_LOCAL_KID = "CognitoLocal";

/** The same claims as `token`, re-signed by another key (kid kept as given). */
export function resignWith(token: string, key: KeyObject, kid: string, changes: Partial<TokenPayload> = {}): string {
  return signRs256({ ...decodePayload(token), ...changes }, key, kid);
}

/** Change claims but keep the original header and signature: a tampered token. */
export function tamperPayload(token: string, changes: Partial<TokenPayload>): string {
  const [header, , signature] = token.split(".");
  return `${header}.${b64url(JSON.stringify({ ...decodePayload(token), ...changes }))}.${signature}`;
}

/** `alg: none`, no signature. */
export function unsignedToken(token: string): string {
  return `${b64url(JSON.stringify({ alg: "none", typ: "JWT" }))}.${token.split(".")[1]}.`;
}

/** Claims with iat/exp moved into the past (an hour-long token that ended 10 minutes ago), to lay over a token. */
export function expiredClaims(nowSeconds: number = Math.floor(Date.now() / 1000)): Partial<TokenPayload> {
  return { iat: nowSeconds - 4200, auth_time: nowSeconds - 4200, exp: nowSeconds - 600 };
}
