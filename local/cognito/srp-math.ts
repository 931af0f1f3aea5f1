/**
 * The server half of Cognito's SRP-6a variant (USER_SRP_AUTH / PASSWORD_VERIFIER), for the SRP front
 * before cognito-local. Hand-written on node:crypto and BigInt on purpose: the one npm package that
 * implements the server side, `cognito-srp` (0.2.0), was checked against Amplify JS v6's client and
 * does not hold up — about one handshake in a few hundred fails, because it hashes fixed-width
 * encodings of the salt, B and S where Cognito (and Amplify) hash the minimal two's-complement hex of
 * Java's BigInteger.toByteArray(). Amplify JS's own client (`aws-amplify/auth` signIn) is the oracle:
 * test/local/srp-math.test.ts runs its helper against this module, edge cases included.
 *
 * The variant: 3072-bit group of RFC 5054, g = 2, k = H(N | g), x = H(salt | H(poolName | userId |
 * ":" | password)), u = H(A | B), the key is HKDF-SHA256(ikm = S, salt = u, info = "Caldera Derived
 * Key") cut to 16 bytes, and the client proves it with HMAC(key, poolName | userId | secret block |
 * timestamp). poolName is the part of the pool id after "_"; userId is USER_ID_FOR_SRP.
 */
import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from "node:crypto";

/** RFC 5054's 3072-bit prime, the group Cognito uses. */
const N = BigInt(
  "0xFFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF",
);
const g = 2n;
/** SRP_A as hex: at most N's size (768 hex digits) plus some leading zeros. */
const HEX_A = /^[0-9a-fA-F]{1,1024}$/;

/** Hex of a non-negative integer as Java's BigInteger.toByteArray() gives it (even length, a 00 before a set top bit). */
export function paddedHex(n: bigint): string {
  let hex = n.toString(16);
  if (hex.length % 2 !== 0) hex = `0${hex}`;
  return /^[89a-f]/.test(hex) ? `00${hex}` : hex;
}

function hashHex(hex: string): string {
  return createHash("sha256").update(Buffer.from(hex, "hex")).digest("hex");
}

function hashText(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** base^exp mod m by squaring; exponents here are 256-bit, so this is quick enough for a local emulator. */
function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  let b = base % m;
  let e = exp;
  while (e > 0n) {
    if (e & 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}

const k = BigInt(`0x${hashHex(paddedHex(N) + paddedHex(g))}`);

function randomScalar(): bigint {
  return BigInt(`0x${randomBytes(32).toString("hex")}`);
}

/** The password verifier v = g^x for a user; `salt` as the hex the client gets in SALT. */
export function passwordVerifier(poolName: string, userId: string, password: string, salt: string): bigint {
  const x = BigInt(`0x${hashHex(paddedHex(BigInt(`0x${salt}`)) + hashText(`${poolName}${userId}:${password}`))}`);
  return modPow(g, x, N);
}

/** A verifier no password matches (an unknown user's challenge must look like a real one). */
export function unmatchableVerifier(): bigint {
  return modPow(g, randomScalar(), N);
}

/** SRP_A from the client: hex of a value that is not 0 mod N, or undefined. */
export function parseClientPublic(hex: unknown): bigint | undefined {
  if (typeof hex !== "string" || !HEX_A.test(hex)) return undefined;
  const A = BigInt(`0x${hex}`);
  return A % N === 0n ? undefined : A;
}

export interface ServerExchange {
  /** SRP_B, as hex. */
  readonly B: string;
  /** The session key both sides derive (16 bytes); only a client that knows the password has it. */
  readonly key: Buffer;
}

/** The server's ephemeral B for verifier v, and the session key for the client's A. */
export function serverExchange(v: bigint, A: bigint): ServerExchange {
  for (;;) {
    const b = randomScalar();
    const B = (k * v + modPow(g, b, N)) % N;
    const u = BigInt(`0x${hashHex(paddedHex(A) + paddedHex(B))}`);
    if (B === 0n || u === 0n) continue;
    const S = modPow((A * modPow(v, u, N)) % N, b, N);
    const key = Buffer.from(hkdfSync("sha256", Buffer.from(paddedHex(S), "hex"), Buffer.from(paddedHex(u), "hex"), "Caldera Derived Key", 16));
    return { B: B.toString(16), key };
  }
}

/** PASSWORD_CLAIM_SIGNATURE as the client computes it (base64). */
export function passwordClaimSignature(key: Buffer, poolName: string, userId: string, secretBlock: Buffer, timestamp: string): string {
  return createHmac("sha256", key).update(poolName, "utf8").update(userId, "utf8").update(secretBlock).update(timestamp, "utf8").digest("base64");
}

/** The client's signature matches, compared in constant time. */
export function signatureMatches(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "base64");
  const b = Buffer.from(given, "base64");
  return a.length === b.length && timingSafeEqual(a, b);
}
