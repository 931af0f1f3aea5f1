/**
 * Creates fired while DELETE /me runs leave nothing behind. A property over many interleavings on
 * DynamoDB Local: each user has some notes, creates start shortly before and during the deletion,
 * and each create's transaction (tombstone check + Put) is held back (a slow network) until a
 * random moment between 0 and 1.25 × the write deadline after the create started — so some
 * are sent before the tombstone and some after it, and some would be sent after the deadline (and
 * are not). After the 204, a raw table scan finds no item of the sub but the tombstone. Short
 * injected timing (D 2 s, long enough for a transaction on a loaded machine, + M 1 s).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoAccount } from "../../service/src/account/account";
import type { DeletionTiming } from "../../service/src/account/timing";
import { TOMBSTONE_KEY } from "../../service/src/account/tombstones";
import { systemClock } from "../../service/src/clock";
import type { Logger } from "../../service/src/logger";
import { DynamoNoteStore } from "../../service/src/notes/dynamo-store";
import { authHeaders, jsonHeaders, RecordingUsers, silentLogger, testApp, type TestApp } from "../helpers/app";
import type { DynamoTransport } from "../../service/src/dynamo/transport";
import { localTransport, startTestTable, type TestTable } from "../helpers/dynamodb";
import { itemsOf, seedNotes, sturdyDoc } from "../helpers/seed-notes";
import { idToken } from "../helpers/tokens";

const timing: DeletionTiming = { writeDeadlineMs: 2_000, inFlightMarginMs: 1_000, budgetMs: 20_000 };
const USERS_PER_RUN = 6;
const RUNS = 3;

/** Per create request: when its transaction may be sent, in ms after the create started. */
interface SlowPut {
  readonly sendAtMs: number;
  readonly startedAt: number;
  /** Set when the transaction is about to be sent. */
  sentAt?: number;
}
const slowPut = new AsyncLocalStorage<SlowPut>();

let table: TestTable;
let client: DynamoTransport;
let app: TestApp;
let appWith: (timing: DeletionTiming) => TestApp;
/** The test's own view of the table (seeding, raw scans). */
let raw: DynamoDBDocumentClient;
/** Create transactions that reached the table (answered OK): the property is not vacuous. */
let landedPuts = 0;

beforeAll(async () => {
  table = await startTestTable();
  raw = sturdyDoc(table.endpoint);
  // The service's client settings (maxAttempts 2), with a slow network for a create's transaction.
  // The delay is before the transport sends, which it never does once the write's deadline signal
  // has fired; it is timed from the create's start, as the deadline is, so machine load cannot skew it.
  client = localTransport(table.endpoint, {
    maxAttempts: 2,
    requestTimeoutMs: 60_000,
    interceptor: async ({ operation }, send) => {
      const slow = slowPut.getStore();
      if (slow && operation === "TransactWriteItems") {
        const wait = slow.startedAt + slow.sendAtMs - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        slow.sentAt ??= performance.now();
      }
      const out = await send();
      if (operation === "TransactWriteItems") landedPuts++;
      return out;
    },
  });
  const doc = client;
  const logger: Logger = silentLogger;
  appWith = (t) => {
    const account = dynamoAccount({ client: doc, tableName: table.tableName, users: new RecordingUsers(), clock: systemClock, logger, timing: t });
    return testApp(table, { store: new DynamoNoteStore(doc, table.tableName), account, logger });
  };
  app = appWith(timing);
});
afterAll(async () => {
  client.destroy();
  raw.destroy();
  await table.close();
});

/**
 * One user's schedule, in ms from the start of the run (unbiased: fast-check's bias towards 0 would
 * fire everything at once). The deletion starts at 50 ms; creates start from 50 ms before it to
 * 110 ms after; each create's transaction is sent `sendAtMs` after the create started, 0 to
 * 1.25 × D: the early ones commit before the tombstone (and the sweep must find them), the later
 * ones meet the tombstone (401), the rest meet the deadline (503, nothing sent).
 */
const DELETE_AT_MS = 50;
const userPlan = fc.record({
  notes: fc.noBias(fc.nat(30)),
  creates: fc.array(
    fc.record({ atMs: fc.noBias(fc.integer({ min: 0, max: 160 })), sendAtMs: fc.noBias(fc.integer({ min: 0, max: (timing.writeDeadlineMs * 5) / 4 })) }),
    { minLength: 1, maxLength: 10 },
  ),
});
type UserPlan = typeof userPlan extends fc.Arbitrary<infer T> ? T : never;

const after = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A user with the plan's notes, ready to race. */
async function seeded(plan: UserPlan): Promise<{ sub: string; plan: UserPlan }> {
  const sub = randomUUID();
  await seedNotes(raw, table.tableName, sub, plan.notes);
  return { sub, plan };
}

/** One user's deletion raced by its creates; resolves with the statuses the creates got. */
async function raceOne({ sub, plan }: { sub: string; plan: UserPlan }): Promise<{ sub: string; statuses: number[] }> {
  const token = idToken(sub);
  const creates = plan.creates.map(async ({ atMs, sendAtMs }, i) => {
    await after(atMs);
    const res = await slowPut.run({ sendAtMs, startedAt: performance.now() }, () =>
      app.request("/notes", { method: "POST", headers: jsonHeaders(token), body: JSON.stringify({ title: `racer ${i}`, body: "" }) }),
    );
    return res.status;
  });
  const deletion = (async () => {
    await after(DELETE_AT_MS);
    // 202 / 503 mean "repeat": an app would, so the property does too.
    for (let attempt = 0; attempt < 5; attempt++) {
      const res = await app.request("/me", { method: "DELETE", headers: authHeaders(token) });
      if (res.status === 204) return;
      expect([202, 503], await res.text()).toContain(res.status);
    }
    throw new Error("DELETE /me never answered 204");
  })();
  await deletion;
  // Every create has finished (answered or failed) before we look.
  const statuses = await Promise.all(creates);
  return { sub, statuses };
}

describe("DELETE /me raced by concurrent creates", () => {
  it(`${RUNS} runs × ${USERS_PER_RUN} users: after the 204 nothing of the sub is left but the tombstone`, async () => {
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(userPlan, { minLength: USERS_PER_RUN, maxLength: USERS_PER_RUN }), async (plans) => {
        // Seeded first, so the race's timing is the race's alone.
        const users = await Promise.all(plans.map(seeded));
        const results = await Promise.all(users.map(raceOne));
        for (const { sub, statuses: s } of results) {
          statuses.push(...s);
          // 201 (before the tombstone), 401 account_deleted (after), 503 (deadline passed): nothing else.
          for (const status of s) expect([201, 401, 503]).toContain(status);
          const left = await itemsOf(raw, table.tableName, sub);
          expect(left.map((i) => i.noteId), `sub ${sub}`).toEqual([TOMBSTONE_KEY]);
        }
      }),
      // No shrinking: a timing-dependent counterexample does not replay exactly, and each try costs a fence.
      { numRuns: RUNS, endOnFailure: true },
    );
    // The runs exercised both sides of the tombstone: writes of creates that checked before it
    // reached the table, and creates that checked after it were refused. (Which creates win the
    // race depends on the machine's load; the next test pins the interleaving that matters.)
    expect(landedPuts).toBeGreaterThan(0);
    expect(statuses).toContain(401);
  }, 120_000);

  it("a create whose transaction is sent after the tombstone is refused (401 account_deleted) and writes nothing, though it started before the deletion", async () => {
    const sub = randomUUID();
    const token = idToken(sub);
    await seedNotes(raw, table.tableName, sub, 3);
    // D 3 s: the create's transaction is held back 1.5 s, while the deletion writes its tombstone.
    const pinned = appWith({ writeDeadlineMs: 3_000, inFlightMarginMs: 300, budgetMs: 20_000 });
    const slow: SlowPut = { sendAtMs: 1_500, startedAt: performance.now() };
    const create = slowPut.run(slow, () =>
      pinned.request("/notes", { method: "POST", headers: jsonHeaders(token), body: JSON.stringify({ title: "late", body: "" }) }),
    );
    const deletion = pinned.request("/me", { method: "DELETE", headers: authHeaders(token) });
    const refused = await create;
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: "unauthorized" } });
    expect((await deletion).status).toBe(204);
    expect((await itemsOf(raw, table.tableName, sub)).map((i) => i.noteId)).toEqual([TOMBSTONE_KEY]);
  });
});
