/**
 * DELETE /me's sweep on its own: every item of the partition but the tombstone goes, page after
 * page; UnprocessedItems (DynamoDB's answer under throttling, which dynalite never gives, so a
 * middleware plays it) are retried with backoff until none is left; nothing is sent past the deadline.
 */
import { randomUUID } from "node:crypto";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PartitionSweeper } from "../../service/src/account/sweep";
import { TOMBSTONE_KEY, Tombstones } from "../../service/src/account/tombstones";
import { Deadline, DeadlineExceededError } from "../../service/src/deadline";
import { startTestTable, type TestTable } from "../helpers/dynalite";
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

type WriteRequest = { DeleteRequest: unknown };

describe("PartitionSweeper", () => {
  it("deletes every item but the tombstone over several pages, retrying UnprocessedItems (with backoff) until none is left", async () => {
    const client = new DynamoDBClient({ endpoint: table.endpoint, region: "local", credentials: { accessKeyId: "l", secretAccessKey: "l" }, maxAttempts: 2 });
    // The first three BatchWriteItem calls process only half of their requests and hand back the rest.
    const calls: { at: number; size: number }[] = [];
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== "BatchWriteItemCommand") return next(args);
        const input = args.input as { RequestItems: Record<string, WriteRequest[]> };
        const [tableName, requests] = Object.entries(input.RequestItems)[0] as [string, WriteRequest[]];
        calls.push({ at: performance.now(), size: requests.length });
        if (calls.length > 3 || requests.length < 2) return next(args);
        const half = Math.ceil(requests.length / 2);
        const out = await next({ ...args, input: { ...input, RequestItems: { [tableName]: requests.slice(0, half) } } });
        (out.output as { UnprocessedItems?: Record<string, WriteRequest[]> }).UnprocessedItems = { [tableName]: requests.slice(half) };
        return out;
      },
      { step: "initialize", name: "halfProcessed" },
    );
    const doc = DynamoDBDocumentClient.from(client);
    const sub = randomUUID();
    await seedNotes(raw, table.tableName, sub, 60);
    await new Tombstones(raw, table.tableName, { writeDeadlineMs: 1_000, inFlightMarginMs: 0 }).ensure(sub, Date.now(), Deadline.after(5_000));

    const sweeper = new PartitionSweeper(doc, table.tableName, { pageSize: 25, backoffBaseMs: 20, backoffMaxMs: 200 });
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
    await expect(new PartitionSweeper(raw, table.tableName).sweep(sub, expired)).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(await itemsOf(raw, table.tableName, sub)).toHaveLength(5);
  });
});
