/**
 * The SRP front's server math against Amplify JS v6's client helper (the code `signIn` runs): every
 * handshake must agree, including the encodings where a value has leading zero bytes or a set top
 * bit (where the `cognito-srp` package disagrees with Amplify now and then). Amplify's pure-JS client
 * is slow (seconds per handshake), so the random series is short and the edge cases are forced.
 */
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseClientPublic, passwordClaimSignature, passwordVerifier, serverExchange, signatureMatches, paddedHex } from "../../local/cognito/srp-math";
import { amplifyNowString, amplifySrpClient } from "../helpers/amplify-srp-client";

const poolName = "7e01dzgp";
const userId = "7d1f0837-704f-4de3-ad09-d84fe0534965";
const password = "Demo-passw0rd!";

async function handshake(salt: string, pw: string = password): Promise<{ expected: string; given: string }> {
  const client = await amplifySrpClient(poolName);
  const A = parseClientPublic(client.srpA);
  if (A === undefined) throw new Error("Amplify sent an SRP_A the server refuses");
  const { B, key } = serverExchange(passwordVerifier(poolName, userId, password, salt), A);
  const secretBlock = randomBytes(48);
  const timestamp = amplifyNowString();
  const given = await client.sign({ poolName, userId, password: pw, srpB: B, salt, secretBlock: secretBlock.toString("base64"), timestamp });
  return { expected: passwordClaimSignature(key, poolName, userId, secretBlock, timestamp), given };
}

describe("SRP server math, with Amplify JS's client as the oracle", () => {
  it("agrees with Amplify's signature over a series of handshakes with random salts", async () => {
    // Each handshake costs Amplify's client about two seconds of pure-JS big-number work.
    for (let i = 0; i < 6; i++) {
      const { expected, given } = await handshake(randomBytes(16).toString("hex"));
      expect(signatureMatches(expected, given), `handshake ${i}`).toBe(true);
    }
  }, 120_000);

  it("agrees for salts with leading zero bytes, a set top bit, or an odd number of hex digits", async () => {
    for (const salt of [
      `00${randomBytes(15).toString("hex")}`,
      `0000ab${randomBytes(13).toString("hex")}`,
      `ff${randomBytes(15).toString("hex")}`,
      "abc",
      "1",
    ]) {
      const { expected, given } = await handshake(salt);
      expect(signatureMatches(expected, given), salt).toBe(true);
    }
  }, 60_000);

  it("a client with the wrong password produces a signature that does not match", async () => {
    const { expected, given } = await handshake(randomBytes(16).toString("hex"), "Wrong-passw0rd!");
    expect(signatureMatches(expected, given)).toBe(false);
  }, 30_000);

  it("paddedHex is Java's BigInteger.toByteArray() in hex", () => {
    expect([paddedHex(0x14n), paddedHex(0xecn), paddedHex(0xabcn), paddedHex(0x80n), paddedHex(0x7fn)]).toEqual(["14", "00ec", "0abc", "0080", "7f"]);
  });

  it("refuses an SRP_A that is not hex, empty, too long, or 0 mod N", () => {
    for (const bad of ["", "xyz", "12 34", "0", "00", "a".repeat(2000), 42, undefined]) expect(parseClientPublic(bad), String(bad)).toBeUndefined();
    expect(parseClientPublic("0abc")).toBe(0xabcn);
  });
});
