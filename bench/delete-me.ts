/**
 * DELETE /me of accounts with 100 notes each: the whole deletion (tombstone, sweep, AdminDeleteUser
 * against bench/cognito-stand-in.ts, commit margin, final sweep) as a client waits for it, one
 * account after the other on an idle service. Target: p50 under 1 s.
 */
import { idToken } from "../test/helpers/tokens";
import { seedNotes, sturdyDoc } from "../test/helpers/seed-notes";
import { round, type Target } from "./processes";

export const DELETE_ME_TARGET_P50_MS = 1_000;

export interface DeleteMeResult {
  readonly accounts: number;
  readonly notesPerAccount: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** AdminDeleteUser calls the stand-in answered: one per account. */
  readonly userDeletions: number;
  readonly targetP50Ms: number;
  readonly met: boolean;
}

/** Seeds `accounts` users with `notesPerAccount` notes each, straight to the table. */
export async function seedDeleteMeUsers(dynamoUrl: string, tableName: string, accounts: number, notesPerAccount: number): Promise<string[]> {
  const subs = Array.from({ length: accounts }, (_, i) => `bench-delete-${String(i).padStart(4, "0")}-${Date.now()}`);
  const doc = sturdyDoc(dynamoUrl);
  try {
    for (const sub of subs) await seedNotes(doc, tableName, sub, notesPerAccount);
  } finally {
    doc.destroy();
  }
  return subs;
}

/** Each account's DELETE /me, timed from request to 204; anything else fails the scenario. */
export async function measureDeleteMe(target: Target, subs: readonly string[], notesPerAccount: number, userDeletions: () => number): Promise<DeleteMeResult> {
  const times: number[] = [];
  const before = userDeletions();
  for (const sub of subs) {
    const token = idToken(sub);
    const started = performance.now();
    const res = await fetch(`${target.url}/me`, { method: "DELETE", headers: { Authorization: token } });
    const elapsed = performance.now() - started;
    if (res.status !== 204) throw new Error(`DELETE /me answered ${res.status}: ${await res.text()}`);
    times.push(elapsed);
    // Done: the account's notes are gone (the first page of a fresh listing is empty).
    const left = (await (await fetch(`${target.url}/notes`, { headers: { Authorization: token } })).json()) as { items: unknown[] };
    if (left.items.length !== 0) throw new Error(`DELETE /me left ${left.items.length} notes`);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  const p50Ms = round(at(0.5));
  return {
    accounts: subs.length,
    notesPerAccount,
    p50Ms,
    p95Ms: round(at(0.95)),
    maxMs: round(sorted.at(-1) as number),
    userDeletions: userDeletions() - before,
    targetP50Ms: DELETE_ME_TARGET_P50_MS,
    met: p50Ms < DELETE_ME_TARGET_P50_MS,
  };
}
