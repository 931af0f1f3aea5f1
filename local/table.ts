/** The notes table: the service does not create it, the local stack does (if missing). */
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
} from "@aws-sdk/client-dynamodb";
import { createNotesTableInput } from "../service/src/notes/table";

export function localDynamoClient(endpoint: string, region: string): DynamoDBClient {
  return new DynamoDBClient({ region, endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
}

/**
 * The service's table definition (service/src/notes/table.ts), created if missing. Several local
 * stacks may share one DynamoDB Local (the tests start them concurrently): another may create the
 * table between the describe and the create, which is as good as creating it here.
 */
export async function ensureNotesTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  try {
    await client.send(new CreateTableCommand(createNotesTableInput(tableName)));
  } catch (err) {
    // Another stack on the same DynamoDB Local created it between our Describe and Create (stacks
    // started side by side on the test run's one instance): theirs is ours, once ACTIVE.
    if (!(err instanceof ResourceInUseException)) throw err;
  }
  for (let i = 0; i < 50; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === "ACTIVE") return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`DynamoDB: table ${tableName} did not become ACTIVE`);
}
