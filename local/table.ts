/** The notes table: the service does not create it, the local stack does (if missing). */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
  UpdateTableCommand,
  type TableDescription,
} from "@aws-sdk/client-dynamodb";
import { createNotesTableInput, pendingDeletionsIndex } from "../service/src/notes/table";

export function localDynamoClient(endpoint: string, region: string): DynamoDBClient {
  return new DynamoDBClient({ region, endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
}

/**
 * The service's table definition (service/src/notes/table.ts), created if missing. A table kept in
 * `.data/` from before the pending-deletions index existed gets the index added (the service's
 * reaper reads it).
 */
export async function ensureNotesTable(client: DynamoDBClient, tableName: string): Promise<void> {
  let table: TableDescription | undefined;
  try {
    table = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  const definition = createNotesTableInput(tableName);
  if (!table) {
    await client.send(new CreateTableCommand(definition));
  } else if (!table.GlobalSecondaryIndexes?.some((index) => index.IndexName === pendingDeletionsIndex.name)) {
    const index = definition.GlobalSecondaryIndexes?.find((i) => i.IndexName === pendingDeletionsIndex.name);
    await client.send(
      new UpdateTableCommand({
        TableName: tableName,
        AttributeDefinitions: definition.AttributeDefinitions,
        GlobalSecondaryIndexUpdates: [{ Create: { IndexName: pendingDeletionsIndex.name, KeySchema: index?.KeySchema, Projection: index?.Projection } }],
      }),
    );
  } else {
    return;
  }
  for (let i = 0; i < 100; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((index) => index.IndexStatus === "ACTIVE");
    if (Table?.TableStatus === "ACTIVE" && indexesActive) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`DynamoDB: table ${tableName} did not become ACTIVE`);
}
