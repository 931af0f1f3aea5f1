import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { startDynalite } from "../../local/dynalite";
import { ensureNotesTable } from "../../local/table";

export interface TestTable {
  readonly endpoint: string;
  readonly tableName: string;
  readonly doc: DynamoDBDocumentClient;
  readonly raw: DynamoDBClient;
  close(): Promise<void>;
}

/** An in-memory dynalite on a free port (the local stack's own starter) with the notes table. */
export async function startTestTable(tableName = "notes-test"): Promise<TestTable> {
  const dynalite = await startDynalite({
    path: undefined,
    port: 0,
    host: "127.0.0.1",
    setting: { name: "test dynalite", env: "-", flag: "-" },
  });
  const raw = new DynamoDBClient({
    endpoint: dynalite.endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
  await ensureNotesTable(raw, tableName);
  return {
    endpoint: dynalite.endpoint,
    tableName,
    doc: DynamoDBDocumentClient.from(raw),
    raw,
    close: async () => {
      raw.destroy();
      await dynalite.close();
    },
  };
}
