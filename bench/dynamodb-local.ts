/**
 * The bench's DynamoDB: Amazon's DynamoDB Local (the local stack's starter), in memory, with the
 * notes table. A JVM of its own, outside the task's memory cgroup: it stands in for the AWS service.
 */
import { mkdirSync } from "node:fs";
import { startDynamoDbLocal } from "../local/dynamodb/process";
import { ensureNotesTable, localDynamoClient } from "../local/table";
import { LOG_DIR } from "./processes";

export interface BenchDynamo {
  readonly url: string;
  stop(): Promise<void>;
}

export async function startBenchDynamo(tableName: string): Promise<BenchDynamo> {
  mkdirSync(LOG_DIR, { recursive: true });
  const dynamo = await startDynamoDbLocal({
    port: 0,
    setting: { name: "the bench's DynamoDB Local", env: "-", flag: "-" },
    dbPath: undefined,
    logDir: LOG_DIR,
    quickStartJvm: false,
  });
  const client = localDynamoClient(dynamo.endpoint, "local");
  await ensureNotesTable(client, tableName);
  client.destroy();
  return {
    url: dynamo.endpoint,
    stop: async () => {
      await dynamo.child.stop();
    },
  };
}
