/**
 * Shared set-up of the hostile-input property tests: an attacker with a valid token and notes of
 * their own, a victim whose notes must never leak or change (checked after all tests), and `send`,
 * which runs a request and applies the response invariants (< 500, JSON errors, no victim data).
 */
import { afterAll, beforeAll } from "vitest";
import { testApp, type TestApp } from "../helpers/app";
import { startTestTable, type TestTable } from "../helpers/dynamodb";
import { idToken } from "../helpers/tokens";
import { expectSafe, expectVictimIntact, seedVictim, type SentRequest, type Victim } from "./support";

export const RUNS = 1000;
/**
 * A thousand cases take a few seconds on a quiet machine and several times that on a shared one;
 * the properties assert what is answered, never how fast, so give them room.
 */
export const PROPERTY_TIMEOUT_MS = 120_000;
export const ATTACKER = "a77ac4e2-1111-4111-8111-00000000a77a";
export const VICTIM = "51c71a00-1111-4111-8111-0000051c71a0";
export const token = idToken(ATTACKER);

export interface HostileHarness {
  app: TestApp;
  victim: Victim;
  /** The attacker's own notes (seeded like the victim's, so the attacker has a cursor too). */
  own: Victim;
  send(sent: SentRequest, method: string): Promise<{ res: Response; text: string }>;
}

/** Registers beforeAll/afterAll in the calling test file; the fields are ready inside tests. */
export function useHostileHarness(): HostileHarness {
  let table: TestTable;
  const h = {
    async send(sent: SentRequest, method: string) {
      const res = await h.app.request(sent.url, { method, headers: sent.headers, body: sent.body });
      return { res, text: await expectSafe(res, sent, h.victim) };
    },
  } as HostileHarness;
  beforeAll(async () => {
    table = await startTestTable();
    h.app = testApp(table);
    h.victim = await seedVictim(h.app, VICTIM);
    h.own = await seedVictim(h.app, ATTACKER, 6);
  });
  afterAll(async () => {
    await expectVictimIntact(h.app, h.victim);
    await table.close();
  });
  return h;
}

/** encodeURIComponent of the string's UTF-8 bytes (a lone surrogate becomes U+FFFD instead of throwing). */
export function percentEncode(value: string): string {
  return [...Buffer.from(value, "utf8")]
    .map((b) => (/[A-Za-z0-9_.!~*'()-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, "0")}`))
    .join("");
}
