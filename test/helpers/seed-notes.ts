/**
 * Many notes for one user, written straight to the table as the service stores them (BatchWriteItem,
 * 25 at a time): 5 000 notes through POST /notes would take most of a test's budget. Used by the
 * account tests and the bench's export scenario.
 */
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from "@aws-sdk/lib-dynamodb";
import { newNoteId } from "../../service/src/notes/note-id";

/**
 * A client for a test's own reads and writes of the table, with the SDK's retries (the shared
 * test client has none): an idle keep-alive socket the server closes as it is reused (ECONNRESET)
 * is retried instead of failing the test.
 */
export function sturdyDoc(endpoint: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint, region: "local", credentials: { accessKeyId: "local", secretAccessKey: "local" }, maxAttempts: 3 }),
  );
}

/**
 * Writes `count` notes of `userId`; resolves with their ids. `body` is a length (varied content of
 * that many characters) or the body of note `i`.
 */
export async function seedNotes(
  doc: DynamoDBDocumentClient,
  tableName: string,
  userId: string,
  count: number,
  body: number | ((i: number) => string) = 200,
): Promise<string[]> {
  const now = new Date().toISOString();
  const items = Array.from({ length: count }, (_, i) => ({
    userId,
    noteId: newNoteId(),
    title: `seeded ${i}`,
    // Varied content, including characters JSON must escape.
    body: typeof body === "function" ? body(i) : `${i} "quoted" \\ é ✓ `.padEnd(body, "x"),
    createdAt: now,
    updatedAt: now,
    version: 1,
  }));
  const batches: (typeof items)[] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  // A few batches at a time: quick, without queueing hundreds of requests on one socket pool.
  for (let i = 0; i < batches.length; i += 8) {
    await Promise.all(
      batches.slice(i, i + 8).map(async (batch) => {
        let pending: unknown[] = batch.map((Item) => ({ PutRequest: { Item } }));
        while (pending.length > 0) {
          const out = await doc.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }));
          pending = out.UnprocessedItems?.[tableName] ?? [];
        }
      }),
    );
  }
  return items.map((item) => item.noteId);
}

/** Every item of `userId` in the table, read with a Scan (tests only: the service never scans). */
export async function itemsOf(doc: DynamoDBDocumentClient, tableName: string, userId: string): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await doc.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: "userId = :u",
        ExpressionAttributeValues: { ":u": userId },
        ExclusiveStartKey: startKey,
        ConsistentRead: true,
      }),
    );
    items.push(...(out.Items ?? []));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return items;
}
