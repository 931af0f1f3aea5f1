import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createNotesTableInput } from "../../service/src/notes/table";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (options: { createTableMs?: number; deleteTableMs?: number; updateTableMs?: number; path?: string }) => Server;

export interface TestTable {
  readonly endpoint: string;
  readonly tableName: string;
  readonly doc: DynamoDBDocumentClient;
  readonly raw: DynamoDBClient;
  close(): Promise<void>;
}

/** An in-memory dynalite on a free port with the notes table (userId/noteId) created. */
export async function startTestTable(tableName = "notes-test"): Promise<TestTable> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const raw = new DynamoDBClient({
    endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  await raw.send(
    new CreateTableCommand(createNotesTableInput(tableName)),
  );
  const doc = DynamoDBDocumentClient.from(raw);
  return {
    endpoint,
    tableName,
    doc,
    raw,
    close: () =>
      new Promise<void>((resolve) => {
        raw.destroy();
        server.close(() => resolve());
      }),
  };
}
