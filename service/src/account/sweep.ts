/**
 * Deletes every item of one user's partition except the tombstone: a consistent Query for the keys,
 * page by page, and BatchWriteItem deletes of 25 keys each, retrying UnprocessedItems with
 * exponential backoff (DynamoDB returns them under throttling; retrying at once would be throttled
 * again). Bounded by the caller's deadline: every call carries it, and the transport sends no
 * attempt after it.
 */
import type { AttributeValue, WriteRequest } from "@aws-sdk/client-dynamodb";
import type { Deadline } from "../deadline";
import type { DynamoTransport } from "../dynamo/transport";
import { withStoreErrors } from "../dynamo/errors";
import { TOMBSTONE_KEY } from "./tombstones";

/** BatchWriteItem's limit: 25 requests per call. */
const BATCH_SIZE = 25;

export interface SweepOptions {
  /**
   * Keys per Query page (its deletes run as parallel batches of 25). Default 200: an account of a
   * couple of hundred notes is one page (keys only, ~12 KB), one round trip less per sweep.
   */
  readonly pageSize?: number;
  /** First wait before retrying UnprocessedItems; doubles per retry (with jitter). Default 50 ms. */
  readonly backoffBaseMs?: number;
  /** Longest wait between retries. Default 1 s. */
  readonly backoffMaxMs?: number;
}

/** An item's key as DynamoDB returns it: `{ userId: { S }, noteId: { S } }` (no need to unmarshall). */
type Key = Record<string, AttributeValue>;

export class PartitionSweeper {
  private readonly pageSize: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;

  constructor(
    private readonly client: DynamoTransport,
    private readonly tableName: string,
    options: SweepOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 200;
    this.backoffBaseMs = options.backoffBaseMs ?? 50;
    this.backoffMaxMs = options.backoffMaxMs ?? 1_000;
  }

  /**
   * One pass over the partition, deleting as it goes; resolves with how many items it deleted.
   * Safe to repeat: what an interrupted pass deleted is simply gone for the next one.
   */
  async sweep(userId: string, deadline: Deadline): Promise<number> {
    let deleted = 0;
    let startKey: Key | undefined;
    do {
      const page = await withStoreErrors(() =>
        this.client.send(
          "Query",
          {
            TableName: this.tableName,
            // The whole partition (not only the notes' key range): nothing of the sub may remain.
            KeyConditionExpression: "userId = :u",
            ExpressionAttributeValues: { ":u": { S: userId } },
            ProjectionExpression: "userId, noteId",
            // Strongly consistent: the final sweep must see every write that landed before it.
            ConsistentRead: true,
            Limit: this.pageSize,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          },
          { deadline },
        ),
      );
      const keys = (page.Items ?? []).filter((k) => k.noteId?.S !== TOMBSTONE_KEY);
      const batches: Key[][] = [];
      for (let i = 0; i < keys.length; i += BATCH_SIZE) batches.push(keys.slice(i, i + BATCH_SIZE));
      await Promise.all(batches.map((batch) => this.deleteBatch(batch, deadline)));
      deleted += keys.length;
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return deleted;
  }

  private async deleteBatch(keys: readonly Key[], deadline: Deadline): Promise<void> {
    let pending: WriteRequest[] = keys.map((k) => ({ DeleteRequest: { Key: k } }));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await this.backoff(attempt, deadline);
      const out = await withStoreErrors(() => this.client.send("BatchWriteItem", { RequestItems: { [this.tableName]: pending } }, { deadline }));
      pending = out.UnprocessedItems?.[this.tableName] ?? [];
    }
  }

  /** Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"), never past the deadline. */
  private backoff(attempt: number, deadline: Deadline): Promise<void> {
    const ceiling = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempt - 1));
    const wait = Math.min(Math.random() * ceiling, Math.max(0, deadline.remainingMs()));
    return new Promise((resolve) => setTimeout(resolve, wait));
  }
}
