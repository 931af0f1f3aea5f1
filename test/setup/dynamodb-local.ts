/**
 * Vitest global setup: one Amazon DynamoDB Local for the whole test run (ready in ~2 s, ~200 MB),
 * in memory. Test files reach it through `inject("dynamoEndpoint")` and each makes its own table
 * (test/helpers/dynamodb.ts), so files running in parallel never see each other's items.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startDynamoDbLocal } from "../../local/dynamodb/process";

declare module "vitest" {
  export interface ProvidedContext {
    /** The test run's DynamoDB Local, e.g. http://127.0.0.1:40123 */
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const logDir = mkdtempSync(join(tmpdir(), "uaa-dynamodb-local-"));
  const dynamo = await startDynamoDbLocal({
    port: 0,
    setting: { name: "the test run's DynamoDB Local", env: "-", flag: "-" },
    dbPath: undefined,
    logDir,
  });
  project.provide("dynamoEndpoint", dynamo.endpoint);
  return async () => {
    await dynamo.child.stop();
    rmSync(logDir, { recursive: true, force: true });
  };
}
