/**
 * Creates fired while DELETE /me runs leave nothing behind, with no fence: a property over many
 * interleavings on DynamoDB Local. Each user has some notes; the deletion starts at a random moment,
 * and each create's transaction (tombstone check + Put) is held back (a slow network) until its own
 * random moment in the same window — so some commit before the tombstone (and the sweep must find
 * them), some while the sweep runs, some after the 204 (and are refused). After every 204, a raw
 * table scan finds no item of the sub but the tombstone. Production timing (its 250 ms commit
 * margin included), but for the write deadline, which a loaded machine must not turn into 503s.
 *
 * What this cannot show: DynamoDB Local applies a transaction at once, so a create still in its
 * commit phase when the first sweep passes (the case the commit margin is for, account/timing.ts)
 * does not occur here.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import type { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoAccount } from "../../service/src/account/account";
import { productionTiming, type DeletionTiming } from "../../service/src/account/timing";
import { TOMBSTONE_KEY } from "../../service/src/account/tombstones";
import { systemClock } from "../../service/src/clock";
import type { Logger } from "../../service/src/logger";
import { DynamoNoteStore } from "../../service/src/notes/dynamo-store";
import { authHeaders, jsonHeaders, RecordingUsers, silentLogger, testApp, type TestApp } from "../helpers/app";
import type { DynamoTransport } from "../../service/src/dynamo/transport";
import { localTransport, startTestTable, type TestTable } from "../helpers/dynamodb";
import { itemsOf, seedNotes, sturdyDoc } from "../helpers/seed-notes";
import { idToken } from "../helpers/tokens";

const timing: DeletionTiming = { ...productionTiming, writeDeadlineMs: 60_000 };
const USERS_PER_RUN = 6;
const RUNS = 5;

/** Per create request: when its transaction may be sent (performance.now()). */
interface SlowCreate {
  readonly sendAt: number;
}
const slowCreate = new AsyncLocalStorage<SlowCreate>();

let table: TestTable;
let client: DynamoTransport;
let app: TestApp;
/** The test's own view of the table (seeding, raw scans). */
let raw: DynamoDBDocumentClient;
/** Create transactions that committed (answered OK): the property is not vacuous. */
let committedCreates = 0;
/** Notes each deletion's first sweep removed, and what its final sweep still found. */
const deletions: { notesDeleted: number; lateWrites: number }[] = [];

beforeAll(async () => {
  table = await startTestTable();
  raw = sturdyDoc(table.endpoint);
  // The service's client settings (maxAttempts 2), with a slow network for a create's transaction.
  client = localTransport(table.endpoint, {
    maxAttempts: 2,
    requestTimeoutMs: 60_000,
    interceptor: async ({ operation }, send) => {
      const slow = slowCreate.getStore();
      if (slow && operation === "TransactWriteItems") {
        const wait = slow.sendAt - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      }
      const out = await send();
      if (operation === "TransactWriteItems") committedCreates++;
      return out;
    },
  });
  const logger: Logger = {
    ...silentLogger,
    info: ((obj: { notesDeleted?: number; lateWrites?: number }, msg: string) => {
      if (msg === "account deleted") deletions.push({ notesDeleted: obj.notesDeleted ?? 0, lateWrites: obj.lateWrites ?? 0 });
    }) as Logger["info"],
  };
  const account = dynamoAccount({ client, tableName: table.tableName, users: new RecordingUsers(), clock: systemClock, logger, timing });
  app = testApp(table, { store: new DynamoNoteStore(client, table.tableName), account, logger });
});
afterAll(async () => {
  client.destroy();
  raw.destroy();
  await table.close();
});

/**
 * One user's schedule, in ms from the start of the run (unbiased: fast-check's bias towards 0 would
 * fire everything at once). The deletion starts between 0 and 150 ms; each create starts between 0
 * and 300 ms and sends its transaction 0 to 400 ms later: before the tombstone, during the sweeps,
 * during the commit margin, after the 204.
 */
const userPlan = fc.record({
  notes: fc.noBias(fc.nat(30)),
  deleteAtMs: fc.noBias(fc.integer({ min: 0, max: 150 })),
  creates: fc.array(fc.record({ atMs: fc.noBias(fc.integer({ min: 0, max: 300 })), sendAfterMs: fc.noBias(fc.integer({ min: 0, max: 400 })) }), {
    minLength: 1,
    maxLength: 10,
  }),
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
  const creates = plan.creates.map(async ({ atMs, sendAfterMs }, i) => {
    await after(atMs);
    const res = await slowCreate.run({ sendAt: performance.now() + sendAfterMs }, () =>
      app.request("/notes", { method: "POST", headers: jsonHeaders(token), body: JSON.stringify({ title: `racer ${i}`, body: "" }) }),
    );
    return res.status;
  });
  await after(plan.deleteAtMs);
  // 202 / 503 mean "repeat": an app would, so the property does too.
  for (let attempt = 0; ; attempt++) {
    const res = await app.request("/me", { method: "DELETE", headers: authHeaders(token) });
    if (res.status === 204) break;
    expect([202, 503], await res.text()).toContain(res.status);
    if (attempt === 5) throw new Error("DELETE /me never answered 204");
  }
  // Right after the 204: nothing but the tombstone, whatever is still in flight.
  expect(
    (await itemsOf(raw, table.tableName, sub)).map((i) => i.noteId),
    `sub ${sub} at the 204`,
  ).toEqual([TOMBSTONE_KEY]);
  // Every create has finished (answered or failed) before we look again.
  const statuses = await Promise.all(creates);
  return { sub, statuses };
}

describe("DELETE /me raced by concurrent creates", () => {
  it(`${RUNS} runs × ${USERS_PER_RUN} users: from the 204 on nothing of the sub is left but the tombstone`, async () => {
    const statuses: number[] = [];
    await fc.assert(
      fc.asyncProperty(fc.array(userPlan, { minLength: USERS_PER_RUN, maxLength: USERS_PER_RUN }), async (plans) => {
        // Seeded first, so the race's timing is the race's alone.
        const users = await Promise.all(plans.map(seeded));
        const results = await Promise.all(users.map(raceOne));
        for (const { sub, statuses: s } of results) {
          statuses.push(...s);
          // 201 (committed before the tombstone), 401 account_deleted (refused by it): nothing else.
          for (const status of s) expect([201, 401]).toContain(status);
          const left = await itemsOf(raw, table.tableName, sub);
          expect(
            left.map((i) => i.noteId),
            `sub ${sub}`,
          ).toEqual([TOMBSTONE_KEY]);
        }
      }),
      // No shrinking: a timing-dependent counterexample does not replay exactly.
      { numRuns: RUNS, endOnFailure: true },
    );
    // Both sides of the tombstone were exercised: creates committed before it (and were swept),
    // and creates refused by it.
    expect(committedCreates).toBeGreaterThan(0);
    expect(statuses).toContain(201);
    expect(statuses).toContain(401);
    expect(deletions.length).toBeGreaterThanOrEqual(RUNS * USERS_PER_RUN);
  }, 180_000);

  it("a create whose transaction is sent after the tombstone is refused (401 account_deleted) and writes nothing, though it started before the deletion", async () => {
    const sub = randomUUID();
    const token = idToken(sub);
    await seedNotes(raw, table.tableName, sub, 3);
    // The create's transaction is held back 1.5 s, while the deletion writes its tombstone.
    const create = slowCreate.run({ sendAt: performance.now() + 1_500 }, () =>
      app.request("/notes", { method: "POST", headers: jsonHeaders(token), body: JSON.stringify({ title: "late", body: "" }) }),
    );
    const deletion = app.request("/me", { method: "DELETE", headers: authHeaders(token) });
    const refused = await create;
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({ error: { code: "unauthorized" } });
    expect((await deletion).status).toBe(204);
    expect((await itemsOf(raw, table.tableName, sub)).map((i) => i.noteId)).toEqual([TOMBSTONE_KEY]);
  });

  it("a create that committed just before the tombstone is swept with the rest: the 204 leaves nothing", async () => {
    const sub = randomUUID();
    const token = idToken(sub);
    await seedNotes(raw, table.tableName, sub, 3);
    deletions.length = 0;
    const created = await app.request("/notes", { method: "POST", headers: jsonHeaders(token), body: JSON.stringify({ title: "just in time", body: "" }) });
    expect(created.status).toBe(201);
    expect((await app.request("/me", { method: "DELETE", headers: authHeaders(token) })).status).toBe(204);
    expect(deletions).toEqual([{ notesDeleted: 4, lateWrites: 0 }]);
    expect((await itemsOf(raw, table.tableName, sub)).map((i) => i.noteId)).toEqual([TOMBSTONE_KEY]);
  });
});
