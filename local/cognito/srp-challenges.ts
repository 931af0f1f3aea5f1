/**
 * The SRP front's open PASSWORD_VERIFIER challenges, keyed by the SECRET_BLOCK handed to the client
 * (random, so it cannot be guessed or forged). A challenge is taken out on its first answer, right or
 * wrong, so a replayed answer finds nothing; it also expires, as Cognito's sign-in session does
 * (3 minutes by default). Memory is bounded: expired entries are dropped, and past the cap the
 * oldest go first.
 */
import { randomBytes } from "node:crypto";

export interface OpenChallenge {
  readonly clientId: string;
  readonly userPoolId: string;
  /** USER_ID_FOR_SRP: cognito-local's internal username (the sub for an email-username pool). */
  readonly userId: string;
  /** False for an unknown user: the challenge only looks real (user-existence errors prevented). */
  readonly userExists: boolean;
  /** The session key of this exchange (srp-math's serverExchange). */
  readonly key: Buffer;
  readonly expiresAt: number;
}

export const CHALLENGE_LIFETIME_MS = 3 * 60_000;
const MAX_OPEN = 10_000;

export class OpenChallenges {
  private readonly open = new Map<string, OpenChallenge>();

  constructor(private readonly now: () => number) {}

  /** Keep a challenge; returns its SECRET_BLOCK (base64). */
  add(challenge: Omit<OpenChallenge, "expiresAt">): { secretBlock: string; secretBlockBytes: Buffer } {
    this.prune();
    const secretBlockBytes = randomBytes(64);
    const secretBlock = secretBlockBytes.toString("base64");
    this.open.set(secretBlock, { ...challenge, expiresAt: this.now() + CHALLENGE_LIFETIME_MS });
    return { secretBlock, secretBlockBytes };
  }

  /** The challenge for this SECRET_BLOCK, removed (single use); undefined if unknown or already answered. */
  take(secretBlock: string): OpenChallenge | undefined {
    const challenge = this.open.get(secretBlock);
    this.open.delete(secretBlock);
    return challenge;
  }

  get size(): number {
    return this.open.size;
  }

  private prune(): void {
    const now = this.now();
    for (const [key, challenge] of this.open) if (challenge.expiresAt <= now) this.open.delete(key);
    // Map order is insertion order: the oldest first.
    for (const key of this.open.keys()) {
      if (this.open.size < MAX_OPEN) break;
      this.open.delete(key);
    }
  }
}
