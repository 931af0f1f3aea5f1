/**
 * Amplify JS v6's own SRP client helper (what `signIn` runs), as an oracle for the SRP front's
 * server math. The package does not export it, so it is loaded from its published CommonJS build
 * by path; tests only.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

interface AmplifyBigInteger {
  toString(radix: number): string;
}

interface AuthenticationHelper {
  readonly A: AmplifyBigInteger;
  getPasswordAuthenticationKey(input: { username: string; password: string; serverBValue: AmplifyBigInteger; salt: AmplifyBigInteger }): Promise<Uint8Array>;
}

interface AmplifySrp {
  getAuthenticationHelper(userPoolName: string): Promise<AuthenticationHelper>;
  getSignatureString(input: { userPoolName: string; username: string; challengeParameters: Record<string, string>; dateNow: string; hkdf: Uint8Array }): string;
  getNowString(): string;
}

const requireHere = createRequire(__filename);
const srpDir = join(dirname(requireHere.resolve("@aws-amplify/auth/package.json")), "dist/cjs/providers/cognito/utils/srp");
const srp = requireHere(join(srpDir, "index.js")) as AmplifySrp;
const { BigInteger } = requireHere(join(srpDir, "BigInteger/index.js")) as { BigInteger: new (hex: string, radix: number) => AmplifyBigInteger };

export interface AmplifySrpClient {
  /** SRP_A, as Amplify sends it. */
  readonly srpA: string;
  /** PASSWORD_CLAIM_SIGNATURE for the server's challenge, as Amplify computes it. */
  sign(input: { poolName: string; userId: string; password: string; srpB: string; salt: string; secretBlock: string; timestamp: string }): Promise<string>;
}

export async function amplifySrpClient(poolName: string): Promise<AmplifySrpClient> {
  const helper = await srp.getAuthenticationHelper(poolName);
  return {
    srpA: helper.A.toString(16),
    sign: async (input) => {
      const hkdf = await helper.getPasswordAuthenticationKey({
        username: input.userId,
        password: input.password,
        serverBValue: new BigInteger(input.srpB, 16),
        salt: new BigInteger(input.salt, 16),
      });
      return srp.getSignatureString({
        userPoolName: input.poolName,
        username: input.userId,
        challengeParameters: { SECRET_BLOCK: input.secretBlock },
        dateNow: input.timestamp,
        hkdf,
      });
    },
  };
}

/** The TIMESTAMP Amplify sends now ("Sun Dec 6 02:11:00 UTC 2026"). */
export function amplifyNowString(): string {
  return srp.getNowString();
}
