import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/**
 * The notes table's key schema: partition key `userId` (the token's sub), sort key `noteId`
 * (UUIDv7, time-ordered). infra/data.ts declares the same keys and index; local/, the tests and the bench
 * create the table from this input.
 */
export const notesTableKeys = { partitionKey: "userId", sortKey: "noteId" } as const;

/**
 * The sparse index of unfinished account deletions: only a tombstone whose deletion has not
 * finished carries `pendingDeletion` (always PENDING_DELETION_SHARD) and `leaseUntil` (epoch ms, 0
 * when no run holds it), so one Query `pendingDeletion = :shard AND leaseUntil < :now` finds every
 * deletion the reaper may take. Keys only: the reaper reads the tombstone itself when it takes the
 * lease. One partition is plenty: deletions are rare (a GSI partition takes 1 000 writes/s).
 */
export const pendingDeletionsIndex = {
  name: "pendingDeletions",
  partitionKey: "pendingDeletion",
  sortKey: "leaseUntil",
} as const;
export const PENDING_DELETION_SHARD = "pending";

export function createNotesTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: notesTableKeys.partitionKey, AttributeType: "S" },
      { AttributeName: notesTableKeys.sortKey, AttributeType: "S" },
      { AttributeName: pendingDeletionsIndex.partitionKey, AttributeType: "S" },
      { AttributeName: pendingDeletionsIndex.sortKey, AttributeType: "N" },
    ],
    KeySchema: [
      { AttributeName: notesTableKeys.partitionKey, KeyType: "HASH" },
      { AttributeName: notesTableKeys.sortKey, KeyType: "RANGE" },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: pendingDeletionsIndex.name,
        KeySchema: [
          { AttributeName: pendingDeletionsIndex.partitionKey, KeyType: "HASH" },
          { AttributeName: pendingDeletionsIndex.sortKey, KeyType: "RANGE" },
        ],
        Projection: { ProjectionType: "KEYS_ONLY" },
      },
    ],
  };
}

/**
 * The DynamoDB TTL attribute (epoch seconds). Account tombstones and Idempotency-Key records carry
 * it (notes never expire); infra/data.ts enables TTL on this name (the local stack does not).
 * DynamoDB deletes expired items lazily, so readers compare it with the clock themselves.
 */
export const TTL_ATTRIBUTE = "expiresAt";
