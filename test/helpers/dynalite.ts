import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { startDynalite } from "../../local/dynalite";
import { ensureNotesTable } from "../../local/table";
import { staticCredentials } from "../../service/src/dynamo/credentials";
import { DynamoTransport, type DynamoTransportOptions } from "../../service/src/dynamo/transport";

export interface TestTable {
  readonly endpoint: string;
  readonly tableName: string;
  /** The service's transport to this table (one attempt), for stores under test. */
  readonly dynamo: DynamoTransport;
  /** The AWS SDK's document client: an independent view of the table, for checks. */
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
  // One attempt, and no tight timeout: a test that queues 1 000 calls on a busy machine is not a
  // black-holed store (the fault tests set the service's timeouts themselves).
  const dynamo = localTransport(dynalite.endpoint, { maxAttempts: 1, requestTimeoutMs: 60_000 });
  return {
    endpoint: dynalite.endpoint,
    tableName,
    dynamo,
    doc: DynamoDBDocumentClient.from(raw),
    raw,
    close: async () => {
      dynamo.destroy();
      raw.destroy();
      await dynalite.close();
    },
  };
}

/** The service's DynamoDB transport to a local endpoint with dynalite's fixed keys; `options` as in service/src/runtime/start.ts. */
export function localTransport(endpoint: string, options: Partial<Omit<DynamoTransportOptions, "endpoint">> = {}): DynamoTransport {
  return new DynamoTransport({
    region: "local",
    credentials: staticCredentials({ accessKeyId: "local", secretAccessKey: "local" }),
    ...options,
    endpoint,
  });
}
