import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";

/**
 * The notes table's key schema: partition key `userId` (the token's sub), sort key `noteId`
 * (UUIDv7, time-ordered). infra/data.ts declares the same keys; local/, the tests and the bench
 * create the table from this input.
 */
export const notesTableKeys = { partitionKey: "userId", sortKey: "noteId" } as const;

export function createNotesTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: [
      { AttributeName: notesTableKeys.partitionKey, AttributeType: "S" },
      { AttributeName: notesTableKeys.sortKey, AttributeType: "S" },
    ],
    KeySchema: [
      { AttributeName: notesTableKeys.partitionKey, KeyType: "HASH" },
      { AttributeName: notesTableKeys.sortKey, KeyType: "RANGE" },
    ],
  };
}

/**
 * The DynamoDB TTL attribute (epoch seconds). Account tombstones and Idempotency-Key records carry
 * it (notes never expire); infra/data.ts enables TTL on this name. DynamoDB deletes expired items
 * lazily, so readers compare it with the clock themselves.
 */
export const TTL_ATTRIBUTE = "expiresAt";
