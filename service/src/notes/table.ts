/**
 * The notes table as DynamoDB's CreateTable input (names from contract/notes-table.ts, as
 * infra/data.ts declares the table): local/, the tests and the bench create the table from this.
 */
import type { CreateTableCommandInput } from "@aws-sdk/client-dynamodb";
import { notesTableKeys, pendingDeletionsIndex } from "../../../contract/notes-table";

/**
 * The value of the pending-deletions index's partition key on every unfinished tombstone: one
 * Query `pendingDeletion = :shard AND leaseUntil < :now` finds every deletion the reaper may take.
 * One partition is plenty: deletions are rare (a GSI partition takes 1 000 writes/s).
 */
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
