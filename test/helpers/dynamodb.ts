import { randomUUID } from "node:crypto";
import { DeleteTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import { inject } from "vitest";
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
  /** Deletes the table and closes the clients (the test run's DynamoDB Local keeps running). */
  close(): Promise<void>;
}

/** The test run's one DynamoDB Local (test/setup/dynamodb-local.ts). */
export function testDynamoEndpoint(): string {
  return inject("dynamoEndpoint");
}

/** A table name of its own for each caller: test files share one DynamoDB Local. */
export function uniqueTableName(prefix = "notes-test"): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** The notes table (the service's definition) in the test run's DynamoDB Local, under a fresh name. */
export async function startTestTable(prefix = "notes-test"): Promise<TestTable> {
  const endpoint = testDynamoEndpoint();
  const tableName = uniqueTableName(prefix);
  const raw = localDynamoClient(endpoint);
  await ensureNotesTable(raw, tableName);
  // One attempt, and no tight timeout: a test that queues 1 000 calls on a busy machine is not a
  // black-holed store (the fault tests set the service's timeouts themselves).
  const dynamo = localTransport(endpoint, { maxAttempts: 1, requestTimeoutMs: 60_000 });
  return {
    endpoint,
    tableName,
    dynamo,
    doc: DynamoDBDocumentClient.from(raw),
    raw,
    close: async () => {
      dynamo.destroy();
      await raw.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      raw.destroy();
    },
  };
}

/** The AWS SDK's client for a local endpoint (DynamoDB Local checks that requests are signed, not by whom). */
export function localDynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "local",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    maxAttempts: 1,
  });
}

/** The service's DynamoDB transport to a local endpoint with fixed keys; `options` as in service/src/runtime/start.ts. */
export function localTransport(endpoint: string, options: Partial<Omit<DynamoTransportOptions, "endpoint">> = {}): DynamoTransport {
  return new DynamoTransport({
    region: "local",
    credentials: staticCredentials({ accessKeyId: "local", secretAccessKey: "local" }),
    ...options,
    endpoint,
  });
}
