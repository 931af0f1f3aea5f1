/** The notes table: the service does not create it, the local stack does (if missing). */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTableCommand,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { pendingDeletionsIndex } from "../contract/notes-table";
import { createNotesTableInput } from "../service/src/notes/table";

export function localDynamoClient(endpoint: string, region: string): DynamoDBClient {
  return new DynamoDBClient({ region, endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
}

/**
 * The service's table definition (service/src/notes/table.ts), created if missing. Several local
 * stacks may share one DynamoDB Local (the tests start them concurrently): another may create the
 * table between the describe and the create, which is as good as creating it here. A table kept in
 * `.data/` from before the pending-deletions index existed gets the index added (the service's
 * reaper reads it).
 */
export async function ensureNotesTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const definition = createNotesTableInput(tableName);
  const index = definition.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === pendingDeletionsIndex.name);
  // Describe, act on what is missing, describe again: until the table and its index are ACTIVE.
  for (let attempt = 0; attempt < 200; attempt++) {
    const table = await describe(client, tableName);
    const pending = table?.GlobalSecondaryIndexes?.find((gsi) => gsi.IndexName === pendingDeletionsIndex.name);
    try {
      if (!table) {
        await client.send(new CreateTableCommand(definition));
      } else if (table.TableStatus === "ACTIVE" && !pending) {
        await client.send(
          new UpdateTableCommand({
            TableName: tableName,
            AttributeDefinitions: definition.AttributeDefinitions,
            GlobalSecondaryIndexUpdates: [{ Create: { IndexName: pendingDeletionsIndex.name, KeySchema: index?.KeySchema, Projection: index?.Projection } }],
          }),
        );
      } else if (table.TableStatus === "ACTIVE" && pending?.IndexStatus === "ACTIVE") {
        return;
      }
    } catch (err) {
      // Another stack got there first, or the table is still changing: look again.
      if (!(err instanceof ResourceInUseException)) throw err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`DynamoDB: table ${tableName} did not become ACTIVE with its ${pendingDeletionsIndex.name} index`);
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}
