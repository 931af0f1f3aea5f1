/**
 * The local stack's notes table: created as the service defines it, an older one (kept in `.data/`)
 * gets the reaper's index, and stacks sharing one DynamoDB Local (the test run's) all get the table.
 */
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import { ensureNotesTable } from "../../local/table";
import { pendingDeletionsIndex } from "../../contract/notes-table";
import { createNotesTableInput } from "../../service/src/notes/table";
import { localDynamoClient, testDynamoEndpoint, uniqueTableName } from "../helpers/dynamodb";

const client = localDynamoClient(testDynamoEndpoint());
const created: string[] = [];
afterAll(async () => {
  for (const name of created) await client.send(new DeleteTableCommand({ TableName: name })).catch(() => undefined);
  client.destroy();
});

const indexesOf = async (name: string) =>
  ((await client.send(new DescribeTableCommand({ TableName: name }))).Table?.GlobalSecondaryIndexes ?? []).map((i) => [i.IndexName, i.IndexStatus]);

describe("ensureNotesTable", () => {
  it("creates a missing table with the pending-deletions index, and leaves an existing one as it is", async () => {
    const name = uniqueTableName("local-table");
    created.push(name);
    await ensureNotesTable(client, name);
    expect(await indexesOf(name)).toEqual([[pendingDeletionsIndex.name, "ACTIVE"]]);
    await ensureNotesTable(client, name);
    expect(await indexesOf(name)).toEqual([[pendingDeletionsIndex.name, "ACTIVE"]]);
  });

  it("adds the index to a table created before it existed", async () => {
    const name = uniqueTableName("local-table");
    created.push(name);
    const { GlobalSecondaryIndexes: _index, ...older } = createNotesTableInput(name);
    await client.send(new CreateTableCommand({ ...older, AttributeDefinitions: older.AttributeDefinitions?.slice(0, 2) }));
    expect(await indexesOf(name)).toEqual([]);
    await ensureNotesTable(client, name);
    expect(await indexesOf(name)).toEqual([[pendingDeletionsIndex.name, "ACTIVE"]]);
  });

  it("stacks started side by side all get the one table: a create that lost the race is not a failure", async () => {
    const name = uniqueTableName("notes-race");
    created.push(name);
    await Promise.all(Array.from({ length: 4 }, () => ensureNotesTable(client, name)));
    expect(await indexesOf(name)).toEqual([[pendingDeletionsIndex.name, "ACTIVE"]]);
  });
});
