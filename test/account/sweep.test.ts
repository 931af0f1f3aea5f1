/**
 * DELETE /me's sweep on its own: every item of the partition but the tombstone goes, page after
 * page; UnprocessedItems (DynamoDB's answer under throttling, which DynamoDB Local never gives, so a
 * middleware plays it) are retried with backoff until none is left; nothing is sent past the deadline.
 */
import { randomUUID } from "node:crypto";
import type { WriteRequest } from "@aws-sdk/client-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PartitionSweeper } from "../../service/src/account/sweep";
import { TOMBSTONE_KEY, Tombstones } from "../../service/src/account/tombstones";
import { Deadline, DeadlineExceededError } from "../../service/src/deadline";
import { localTransport, startTestTable, type TestTable } from "../helpers/dynamodb";
import { itemsOf, seedNotes, sturdyDoc } from "../helpers/seed-notes";

let table: TestTable;
let raw: ReturnType<typeof sturdyDoc>;
beforeAll(async () => {
  table = await startTestTable();
  raw = sturdyDoc(table.endpoint);
});
afterAll(async () => {
  raw.destroy();
  await table.close();
});

describe("PartitionSweeper", () => {
  it("deletes every item but the tombstone over several pages, retrying UnprocessedItems (with backoff) until none is left", async () => {
    // The first three BatchWriteItem calls process only half of their requests and hand back the rest.
    const calls: { at: number; size: number }[] = [];
    const client = localTransport(table.endpoint, {
      maxAttempts: 2,
      requestTimeoutMs: 60_000,
      interceptor: async ({ operation, input }, send) => {
        if (operation !== "BatchWriteItem") return send();
        const [tableName, requests] = Object.entries((input as { RequestItems: Record<string, WriteRequest[]> }).RequestItems)[0] as [string, WriteRequest[]];
        calls.push({ at: performance.now(), size: requests.length });
        if (calls.length > 3 || requests.length < 2) return send();
        const half = Math.ceil(requests.length / 2);
        const out = (await send({ RequestItems: { [tableName]: requests.slice(0, half) } })) as Record<string, unknown>;
        return { ...out, UnprocessedItems: { [tableName]: requests.slice(half) } };
      },
    });
    const sub = randomUUID();
    await seedNotes(raw, table.tableName, sub, 60);
    await new Tombstones(table.dynamo, table.tableName).begin(sub, sub, { owner: "test", leaseMs: 60_000 }, Date.now(), Deadline.after(5_000));

    const sweeper = new PartitionSweeper(client, table.tableName, { pageSize: 25, backoffBaseMs: 20, backoffMaxMs: 200 });
    expect(await sweeper.sweep(sub, Deadline.after(10_000))).toBe(60);
    expect((await itemsOf(raw, table.tableName, sub)).map((i) => i.noteId)).toEqual([TOMBSTONE_KEY]);
    // 3 pages of up to 25 (one batch each) + a retry for each of the first three batches' other half.
    expect(calls.length).toBeGreaterThan(3);
    expect(calls.reduce((n, c) => n + c.size, 0)).toBeGreaterThan(60);
    client.destroy();
  });

  it("an expired deadline sends nothing: DeadlineExceededError, every item still there", async () => {
    const sub = randomUUID();
    await seedNotes(raw, table.tableName, sub, 5);
    const expired = Deadline.after(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await expect(new PartitionSweeper(table.dynamo, table.tableName).sweep(sub, expired)).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(await itemsOf(raw, table.tableName, sub)).toHaveLength(5);
  });
});
