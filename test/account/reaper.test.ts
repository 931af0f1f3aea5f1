/**
 * The reaper finishes deletions nobody repeats, on DynamoDB Local: a DELETE /me that stopped after
 * the tombstone, after the sweep, or after AdminDeleteUser, and one whose process died holding the
 * lease, are all finished with no client call; and two reapers (with two DELETE /me of each user
 * racing them) never both run one deletion.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dynamoAccount, type AccountDeps } from "../../service/src/account/account";
import { DeletionReaper } from "../../service/src/account/reaper";
import { productionTiming, type DeletionTiming } from "../../service/src/account/timing";
import { TOMBSTONE_KEY, Tombstones } from "../../service/src/account/tombstones";
import { UserDirectoryUnavailableError, type UserDirectory } from "../../service/src/account/user-directory";
import { systemClock } from "../../service/src/clock";
import { Deadline } from "../../service/src/deadline";
import type { DynamoInterceptor, DynamoTransport } from "../../service/src/dynamo/transport";
import { DynamoServiceError } from "../../service/src/dynamo/errors";
import { authHeaders, RecordingUsers, silentLogger, testApp } from "../helpers/app";
import { localTransport, startTestTable, type TestTable } from "../helpers/dynamodb";
import { itemsOf, seedNotes, sturdyDoc } from "../helpers/seed-notes";
import { idToken } from "../helpers/tokens";

/** A 20 s lease (a run works 10 s at most: ample on a busy machine), a short commit margin. */
const timing: DeletionTiming = { ...productionTiming, writeDeadlineMs: 60_000, commitMarginMs: 50, leaseMs: 20_000 };
/** The lease of a process that dies holding it: the reaper may take it over once it has run out. */
const DEAD_LEASE_MS = 2_000;
const REAPER_PERIOD_MS = 200;

let table: TestTable;
let raw: ReturnType<typeof sturdyDoc>;
const clients: DynamoTransport[] = [];
beforeAll(async () => {
  table = await startTestTable();
  raw = sturdyDoc(table.endpoint);
});
afterAll(async () => {
  for (const client of clients) client.destroy();
  raw.destroy();
  await table.close();
});

function transport(interceptor?: DynamoInterceptor): DynamoTransport {
  const client = localTransport(table.endpoint, { maxAttempts: 1, requestTimeoutMs: 60_000, interceptor });
  clients.push(client);
  return client;
}

function account(client: DynamoTransport, users: UserDirectory): AccountDeps {
  return dynamoAccount({ client, tableName: table.tableName, users, clock: systemClock, logger: silentLogger, timing });
}

function reaperOf(deps: AccountDeps): DeletionReaper {
  return new DeletionReaper({
    deletion: deps.deletion,
    tombstones: deps.tombstones,
    clock: systemClock,
    logger: silentLogger,
    periodMs: REAPER_PERIOD_MS,
    random: () => 0,
  });
}

const tombstoneOf = async (sub: string) =>
  (await itemsOf(raw, table.tableName, sub)).find((i) => i.noteId === TOMBSTONE_KEY) as Record<string, unknown> | undefined;

/** A store failure as DynamoDB gives it (503 to the client, the lease freed). */
const storeDown = () => new DynamoServiceError("InternalServerError", "injected", 500, undefined);

async function until(done: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const giveUp = performance.now() + timeoutMs;
  while (!(await done())) {
    if (performance.now() > giveUp) throw new Error(`not done within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("a deletion nobody repeats", () => {
  it("stopped after the tombstone, after the sweep, after AdminDeleteUser, or with its lease held by a dead process: the reaper finishes each, AdminDeleteUser with the username the tombstone keeps", async () => {
    const subs = { afterTombstone: randomUUID(), afterSweep: randomUUID(), afterUser: randomUUID(), leaseHeld: randomUUID() };
    const usernameOf = (sub: string) => `user-${sub.slice(0, 8)}`;
    for (const sub of Object.values(subs)) await seedNotes(raw, table.tableName, sub, 30);

    // The failing requests: the sweep's deletes fail for one user; Cognito for another; the final
    // sweep (the partition Query after AdminDeleteUser) for the third.
    const userGone = new Set<string>();
    const failing = transport(async ({ operation, input }, send) => {
      const sub = (input as { ExpressionAttributeValues?: { ":u"?: { S?: string } } }).ExpressionAttributeValues?.[":u"]?.S;
      if (operation === "BatchWriteItem") {
        const first = Object.values((input as { RequestItems: Record<string, { DeleteRequest?: { Key: { userId: { S: string } } } }[]> }).RequestItems)[0]?.[0];
        if (first?.DeleteRequest?.Key.userId.S === subs.afterTombstone) throw storeDown();
      }
      if (operation === "Query" && sub === subs.afterUser && userGone.has(sub)) throw storeDown();
      return send();
    });
    const failingUsers: UserDirectory = {
      async deleteUser(username) {
        if (username === usernameOf(subs.afterSweep)) throw new UserDirectoryUnavailableError("injected");
        userGone.add(subs.afterUser);
      },
    };
    const app = testApp(table, { account: account(failing, failingUsers) });
    for (const sub of [subs.afterTombstone, subs.afterSweep, subs.afterUser]) {
      const res = await app.request("/me", { method: "DELETE", headers: authHeaders(idToken(sub, { "cognito:username": usernameOf(sub) })) });
      expect(res.status, sub).toBe(503);
    }
    expect(await tombstoneOf(subs.afterTombstone)).toMatchObject({ pendingDeletion: "pending", leaseUntil: 0 });
    expect((await tombstoneOf(subs.afterTombstone))?.notesDeletedAt).toBeUndefined();
    expect(await tombstoneOf(subs.afterSweep)).toMatchObject({ notesDeletedAt: expect.any(String), pendingDeletion: "pending" });
    expect((await tombstoneOf(subs.afterSweep))?.userDeletedAt).toBeUndefined();
    expect(await tombstoneOf(subs.afterUser)).toMatchObject({ userDeletedAt: expect.any(String), pendingDeletion: "pending" });
    expect((await tombstoneOf(subs.afterUser))?.completedAt).toBeUndefined();
    // A process that took the lease and died: nothing frees it, it expires.
    const dead = new Tombstones(transport(), table.tableName);
    expect(
      (await dead.begin(subs.leaseHeld, usernameOf(subs.leaseHeld), { owner: "dead task", leaseMs: DEAD_LEASE_MS }, Date.now(), Deadline.after(5_000))).kind,
    ).toBe("taken");

    // No client call from here on: only the reaper, on a healthy store.
    const users = new RecordingUsers();
    const reaper = reaperOf(account(transport(), users));
    reaper.start();
    try {
      await until(async () => {
        const tombstones = await Promise.all(Object.values(subs).map(tombstoneOf));
        return tombstones.every((t) => typeof t?.completedAt === "string");
      }, 20_000);
    } finally {
      await reaper.stop();
    }
    for (const sub of Object.values(subs)) {
      expect(
        (await itemsOf(raw, table.tableName, sub)).map((i) => i.noteId),
        sub,
      ).toEqual([TOMBSTONE_KEY]);
      const tombstone = await tombstoneOf(sub);
      for (const attribute of ["pendingDeletion", "leaseOwner", "leaseUntil"]) expect(tombstone?.[attribute], `${sub} ${attribute}`).toBeUndefined();
    }
    // The user already deleted before the failure is not deleted again; every other one is, by the name the tombstone kept.
    expect([...users.deleted].sort()).toEqual([subs.afterTombstone, subs.afterSweep, subs.leaseHeld].map(usernameOf).sort());
  }, 40_000);
});

describe("two reapers and two DELETE /me per user at once", () => {
  it("each deletion runs exactly once: one AdminDeleteUser and two sweeps per user, every tombstone finished, nothing else left", async () => {
    const subs = Array.from({ length: 8 }, () => randomUUID());
    for (const sub of subs) await seedNotes(raw, table.tableName, sub, 20);
    // Unfinished deletions whose lease is free (their requests failed and freed it).
    const setup = new Tombstones(transport(), table.tableName);
    for (const sub of subs) {
      await setup.begin(sub, sub, { owner: "failed request", leaseMs: timing.leaseMs }, Date.now(), Deadline.after(5_000));
      await setup.release(sub, "failed request", Deadline.after(5_000));
    }

    // Every run is counted: sweeps by their partition Query, AdminDeleteUser by its username. A
    // small delay on every write widens the window in which two runs could both see a free lease.
    const sweeps = new Map<string, number>();
    const deletions = new Map<string, number>();
    const counted = (): DynamoTransport =>
      transport(async ({ operation, input }, send) => {
        const query = input as { IndexName?: string; ExpressionAttributeValues?: { ":u"?: { S?: string } } };
        const sub = query.ExpressionAttributeValues?.[":u"]?.S;
        if (operation === "Query" && query.IndexName === undefined && sub) sweeps.set(sub, (sweeps.get(sub) ?? 0) + 1);
        if (operation === "UpdateItem") await new Promise((r) => setTimeout(r, Math.random() * 20));
        return send();
      });
    const users: UserDirectory = {
      async deleteUser(username) {
        deletions.set(username, (deletions.get(username) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 20));
      },
    };
    const reapers = [reaperOf(account(counted(), users)), reaperOf(account(counted(), users))];
    const app = testApp(table, { account: account(counted(), users) });

    const requests = subs.flatMap((sub) => [1, 2].map(() => app.request("/me", { method: "DELETE", headers: authHeaders(idToken(sub)) })));
    const [passes, responses] = await Promise.all([Promise.all(reapers.map((r) => r.pass())), Promise.all(requests)]);
    for (const res of responses) expect([202, 204]).toContain(res.status);

    // Whatever is left unfinished (a request answered 202 while a reaper held it) the next looks finish.
    for (let look = 0; look < 10; look++) {
      const left = await Promise.all(subs.map(tombstoneOf));
      if (left.every((t) => typeof t?.completedAt === "string")) break;
      await new Promise((r) => setTimeout(r, 100));
      await Promise.all(reapers.map((r) => r.pass()));
    }
    for (const sub of subs) {
      expect(
        (await itemsOf(raw, table.tableName, sub)).map((i) => i.noteId),
        sub,
      ).toEqual([TOMBSTONE_KEY]);
      expect((await tombstoneOf(sub))?.completedAt, sub).toEqual(expect.any(String));
      expect(deletions.get(sub), `AdminDeleteUser of ${sub}`).toBe(1);
      expect(sweeps.get(sub), `sweeps of ${sub}`).toBe(2);
    }
    // The race was real: the reapers found the deletions pending, and some runs were turned away.
    expect(passes.reduce((n, p) => n + p.found, 0)).toBeGreaterThan(0);
    const finishedByReapers = passes.reduce((n, p) => n + p.finished, 0);
    const finishedByRequests = responses.filter((r) => r.status === 204).length;
    expect(finishedByReapers).toBeLessThanOrEqual(subs.length);
    expect(finishedByReapers + finishedByRequests).toBeGreaterThanOrEqual(subs.length);
  }, 40_000);
});
