/**
 * The service signs DynamoDB requests with the task role's credentials,
 * resolved the way ECS hands them out — the container-credentials endpoint — and fetches new ones
 * before the old ones expire. A local HTTP endpoint stands in for ECS's (on ECS,
 * AWS_CONTAINER_CREDENTIALS_RELATIVE_URI resolves to the same protocol at 169.254.170.2); a
 * stand-in in front of DynamoDB Local reads which keys signed each request (it checks that one did,
 * not which).
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsCredentialChain } from "../../service/src/dynamo/credentials";
import { DynamoTransport } from "../../service/src/dynamo/transport";
import { DynamoNoteStore } from "../../service/src/notes/dynamo-store";
import { startTestTable, type TestTable } from "../helpers/dynamodb";
import { startDynamoStandIn, type DynamoStandIn } from "../helpers/dynamo-stand-in";

/** The SDK treats keys as expired 5 minutes before their Expiration; these become due this soon after issue. */
const REFRESH_WINDOW_MS = 5 * 60_000;
const DUE_AFTER_MS = 1_000;

/** Variables that would let another link of the chain answer first; the test owns them while it runs. */
const CHAIN_VARIABLES = [
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_PROFILE",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_CONFIG_FILE",
] as const;

interface Issued {
  readonly accessKeyId: string;
  readonly token: string;
  readonly fetchedAt: number;
  readonly expiresAt: number;
}

let table: TestTable;
let standIn: DynamoStandIn;
let ecs: Server;
const issued: Issued[] = [];
const savedEnv: Partial<Record<string, string>> = {};

beforeAll(async () => {
  table = await startTestTable();
  standIn = await startDynamoStandIn(table.endpoint);
  // ECS's credentials endpoint: a new short-lived key pair on every fetch, in its JSON shape.
  ecs = createServer((req, res) => {
    const n = issued.length + 1;
    const now = Date.now();
    const key: Issued = { accessKeyId: `ASIATESTKEY${n}`, token: `session-token-${n}`, fetchedAt: now, expiresAt: now + REFRESH_WINDOW_MS + DUE_AFTER_MS };
    issued.push(key);
    res.writeHead(200, { "content-type": "application/json" }).end(
      JSON.stringify({
        RoleArn: "arn:aws:iam::123456789012:role/notes-task",
        AccessKeyId: key.accessKeyId,
        SecretAccessKey: `secret-${n}`,
        Token: key.token,
        Expiration: new Date(key.expiresAt).toISOString(),
      }),
    );
    req.resume();
  });
  await new Promise<void>((resolve) => ecs.listen(0, "127.0.0.1", resolve));
  for (const name of CHAIN_VARIABLES) {
    savedEnv[name] = process.env[name];
    delete process.env[name];
  }
  const nowhere = join(tmpdir(), `uaa-no-aws-config-${process.pid}`);
  process.env.AWS_SHARED_CREDENTIALS_FILE = nowhere;
  process.env.AWS_CONFIG_FILE = nowhere;
  process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI = `http://127.0.0.1:${(ecs.address() as AddressInfo).port}/v2/credentials/task-role`;
});

afterAll(async () => {
  for (const name of CHAIN_VARIABLES) {
    if (savedEnv[name] === undefined) delete process.env[name];
    else process.env[name] = savedEnv[name];
  }
  await new Promise<void>((resolve) => ecs.close(() => resolve()));
  await standIn.close();
  await table.close();
});

describe("credentials on ECS: the container-credentials endpoint, refreshed before expiry", () => {
  it("signs with the task role's keys from the endpoint, and switches to new keys fetched before the old ones expire", async () => {
    // What service/src/runtime/start.ts builds when no DYNAMODB_ENDPOINT is set (only the endpoint differs).
    const transport = new DynamoTransport({ region: "eu-west-2", endpoint: standIn.endpoint, credentials: awsCredentialChain() });
    const store = new DynamoNoteStore(transport, table.tableName);
    try {
      await store.list("u-credentials", 5, undefined);
      expect(issued).toHaveLength(1);
      expect(standIn.seen[0]).toMatchObject({
        accessKeyId: "ASIATESTKEY1",
        securityToken: "session-token-1",
        credentialScope: "eu-west-2/dynamodb/aws4_request",
      });

      // Keep calling until a request is signed with the second key pair (the first is due for refresh after ~1 s).
      const deadline = Date.now() + 20_000;
      while (!standIn.seen.some((r) => r.accessKeyId === "ASIATESTKEY2")) {
        if (Date.now() > deadline) throw new Error(`never signed with refreshed keys; fetched ${issued.length} time(s)`);
        await store.list("u-credentials", 5, undefined);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const [first, second] = issued as [Issued, Issued];
      // Refreshed ahead of time: the second fetch came while the first keys were still valid...
      expect(second.fetchedAt).toBeLessThan(first.expiresAt);
      // ...and only once: the refresh is shared, not one fetch per request.
      expect(issued).toHaveLength(2);
      // Every request was signed with a valid pair, the old one until the new one arrived, then only the new one.
      const keys = standIn.seen.map((r) => `${r.accessKeyId}/${r.securityToken}`);
      const switchAt = keys.indexOf("ASIATESTKEY2/session-token-2");
      expect(new Set(keys.slice(0, switchAt))).toEqual(new Set(["ASIATESTKEY1/session-token-1"]));
      expect(new Set(keys.slice(switchAt))).toEqual(new Set(["ASIATESTKEY2/session-token-2"]));
      expect(standIn.seen.every((r) => r.credentialScope === "eu-west-2/dynamodb/aws4_request")).toBe(true);
    } finally {
      transport.destroy();
    }
  });
});
