/** The local stack's notes table on a DynamoDB Local that several stacks share (the test run's one instance). */
import { DeleteTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { expect, it } from "vitest";
import { ensureNotesTable } from "../../local/table";
import { localDynamoClient, testDynamoEndpoint, uniqueTableName } from "../helpers/dynamodb";

it("stacks started side by side all get the one table: a create that lost the race is not a failure", async () => {
  const client = localDynamoClient(testDynamoEndpoint());
  const tableName = uniqueTableName("notes-race");
  try {
    await Promise.all(Array.from({ length: 4 }, () => ensureNotesTable(client, tableName)));
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    expect(Table?.TableStatus).toBe("ACTIVE");
  } finally {
    await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
    client.destroy();
  }
});
