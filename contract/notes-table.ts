/**
 * The notes table's names: the one home of the key schema, the TTL attribute and the index, read by
 * the Pulumi program (infra/data.ts declares the table) and the service (service/src/notes/table.ts
 * builds the same table for DynamoDB Local; the stores name these attributes in their requests).
 */

/** Partition key `userId` (the token's sub), sort key `noteId` (UUIDv7, time-ordered; `~…` for the account's own items). */
export const notesTableKeys = { partitionKey: "userId", sortKey: "noteId" } as const;

/**
 * The DynamoDB TTL attribute (epoch seconds). Account tombstones and Idempotency-Key records carry
 * it (notes never expire). DynamoDB deletes expired items lazily, so readers compare it with the
 * clock themselves.
 */
export const TTL_ATTRIBUTE = "expiresAt";

/**
 * The sparse index of unfinished account deletions, which the service's reaper reads: only a
 * tombstone whose deletion has not finished carries its keys (a constant shard, and the lease's end
 * in epoch ms). Keys only.
 */
export const pendingDeletionsIndex = {
  name: "pendingDeletions",
  partitionKey: "pendingDeletion",
  sortKey: "leaseUntil",
} as const;
