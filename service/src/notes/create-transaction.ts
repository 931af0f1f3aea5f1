/**
 * A create as one DynamoDB transaction (TransactWriteItems): a ConditionCheck that the account's
 * tombstone does not exist, and the note's conditional Put. DynamoDB isolates a transaction
 * serializably from a standard write ("Isolation levels for DynamoDB transactions"), so a create
 * either commits before DELETE /me's tombstone write (and the sweep that follows sees it) or fails
 * its check: nothing can land in a deleted account's partition.
 *
 * The ClientRequestToken is derived from the user and the note id (new per HTTP request), so it is
 * the same in every attempt the transport makes of one request: when a first attempt was applied
 * but its answer was lost, DynamoDB answers the retry with success without applying it again (for
 * 10 minutes). The user is in it because tokens are scoped to the AWS account, not the partition.
 */
import { createHash } from "node:crypto";
import type { TransactWriteItemsInput } from "@aws-sdk/client-dynamodb";
import { marshall } from "@aws-sdk/util-dynamodb";
import { TOMBSTONE_KEY } from "../account/tombstones";
import { TTL_ATTRIBUTE } from "../../../contract/notes-table";

/** Which item of the transaction failed its condition, or why the whole transaction was refused. */
export type CancelledBecause = "account_deleted" | "note_exists" | "key_used" | "conflict" | "other";

/** The transaction's items, in this order: the cancellation reasons come back in it. */
export const CREATE_ITEMS = { tombstoneCheck: 0, notePut: 1, idempotencyRecordPut: 2 } as const;

/** An Idempotency-Key record to write with the note (notes/idempotency.ts), and the time it is written at. */
export interface RecordPut {
  readonly item: Record<string, unknown>;
  readonly nowEpochSeconds: number;
}

/** DynamoDB's limit for a ClientRequestToken: 36 characters. */
const TOKEN_LENGTH = 36;

/** The create's ClientRequestToken: 216 bits of SHA-256 over user and note id (base64url, 36 chars). */
export function createToken(userId: string, noteId: string): string {
  return createHash("sha256").update(userId).update("\0").update(noteId).digest("base64url").slice(0, TOKEN_LENGTH);
}

/**
 * The create. With an Idempotency-Key record, a third item: its Put, refused while a live record
 * of the key exists (one past its expiry, not yet deleted by TTL, is overwritten).
 */
export function createTransaction(
  tableName: string,
  userId: string,
  item: Record<string, unknown> & { noteId: string },
  record?: RecordPut,
): TransactWriteItemsInput {
  return {
    ClientRequestToken: createToken(userId, item.noteId),
    TransactItems: [
      {
        ConditionCheck: {
          TableName: tableName,
          Key: { userId: { S: userId }, noteId: { S: TOMBSTONE_KEY } },
          ConditionExpression: "attribute_not_exists(userId)",
        },
      },
      { Put: { TableName: tableName, Item: marshall(item), ConditionExpression: "attribute_not_exists(noteId)" } },
      ...(record
        ? [
            {
              Put: {
                TableName: tableName,
                Item: marshall(record.item),
                ConditionExpression: "attribute_not_exists(noteId) OR #ttl <= :now",
                ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
                ExpressionAttributeValues: { ":now": { N: String(record.nowEpochSeconds) } },
              },
            },
          ]
        : []),
    ],
  };
}

interface CancelledError {
  name?: unknown;
  CancellationReasons?: readonly { Code?: string }[];
}

/** What a TransactionCanceledException says about this create; undefined for any other error. */
export function whyCancelled(err: unknown): CancelledBecause | undefined {
  const e = err as CancelledError | null;
  // The same token with other parameters: the note id was already used by another create.
  if (e?.name === "IdempotentParameterMismatchException") return "note_exists";
  if (e?.name !== "TransactionCanceledException") return undefined;
  const codes = (e.CancellationReasons ?? []).map((r) => r.Code ?? "None");
  if (codes[CREATE_ITEMS.tombstoneCheck] === "ConditionalCheckFailed") return "account_deleted";
  if (codes[CREATE_ITEMS.notePut] === "ConditionalCheckFailed") return "note_exists";
  if (codes[CREATE_ITEMS.idempotencyRecordPut] === "ConditionalCheckFailed") return "key_used";
  if (codes.some((c) => c === "TransactionConflict" || c === "ThrottlingError" || c === "ProvisionedThroughputExceeded")) return "conflict";
  return "other";
}
