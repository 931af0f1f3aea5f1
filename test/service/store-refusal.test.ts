/**
 * A request DynamoDB refuses (ValidationException) is the input's fault: 400 `validation_failed`,
 * the same body on every route of the contract's route table — the routes are taken from the
 * table, so a new one is covered without editing this file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routes, type Route } from "../../contract/routes";
import { DynamoServiceError } from "../../service/src/dynamo/errors";
import type { DynamoTransport } from "../../service/src/dynamo/transport";
import { DynamoNoteStore } from "../../service/src/notes/dynamo-store";
import { newNoteId } from "../../service/src/notes/note-id";
import { jsonHeaders, silentLogger, testAccount, testApp } from "../helpers/app";
import { localTransport, startTestTable, type TestTable } from "../helpers/dynamodb";
import { idToken } from "../helpers/tokens";

const SUB = "7a11d000-0000-4000-8000-0000007a11d0";
const NOTE_ID = newNoteId();

let table: TestTable;
let refusing: DynamoTransport;
/** DynamoDB calls the service sent since the last reset, and what DynamoDB answered them with. */
let calls: { operation: string; error: unknown }[] = [];

beforeAll(async () => {
  table = await startTestTable();
  // Every call names the table "x", which DynamoDB's own validation refuses (a table name has 3
  // characters at least) wherever it appears: TableName, BatchWriteItem's RequestItems, a
  // transaction's items. Sent to DynamoDB Local for real.
  const quoted = JSON.stringify(table.tableName);
  refusing = localTransport(table.endpoint, {
    maxAttempts: 1,
    interceptor: async ({ operation, input }, send) => {
      const call: { operation: string; error: unknown } = { operation, error: undefined };
      calls.push(call);
      try {
        return await send(JSON.parse(JSON.stringify(input).replaceAll(quoted, '"x"')));
      } catch (error) {
        call.error = error;
        throw error;
      }
    },
  });
});
afterAll(async () => {
  refusing?.destroy();
  await table?.close();
});

/** A well-formed request for the route: a note id in the path, a valid body and If-Match where a write takes them. */
function requestFor(route: Route): { path: string; init: RequestInit } {
  const path = route.path.replace("{noteId}", NOTE_ID);
  const withBody = route.method === "POST" || route.method === "PUT";
  return {
    path,
    init: {
      method: route.method,
      headers: jsonHeaders(idToken(SUB), { "If-Match": '"1"' }),
      ...(withBody ? { body: JSON.stringify({ title: "t", body: "b" }) } : {}),
    },
  };
}

describe("a ValidationException from DynamoDB", () => {
  it("answers 400 validation_failed with one body on every route that calls DynamoDB, and is logged as the store's refusal", async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = { ...silentLogger, info: (line: object) => void lines.push(line as Record<string, unknown>) };
    const broken = { ...table, dynamo: refusing };
    const app = testApp(broken, {
      store: new DynamoNoteStore(refusing, table.tableName),
      account: testAccount(broken, { logger }),
      logger,
    });
    const withoutCalls: string[] = [];
    for (const route of routes) {
      calls = [];
      lines.length = 0;
      const { path, init } = requestFor(route);
      const res = await app.request(path, init);
      const text = await res.text();
      if (calls.length === 0) {
        withoutCalls.push(route.id);
        expect(res.status, `${route.id}: ${text}`).toBeLessThan(400);
        continue;
      }
      // The refusal really came from DynamoDB Local, as a ValidationException.
      expect(calls[0]?.error, route.id).toBeInstanceOf(DynamoServiceError);
      expect((calls[0]?.error as Error | undefined)?.name, route.id).toBe("ValidationException");
      expect({ route: route.id, status: res.status, contentType: res.headers.get("content-type"), body: JSON.parse(text) as unknown }).toEqual({
        route: route.id,
        status: 400,
        contentType: expect.stringMatching(/^application\/json/) as unknown,
        body: { error: { code: "validation_failed", message: "Invalid request" } },
      });
      expect(lines.at(-1), route.id).toMatchObject({ status: 400, error: "validation_failed", reason: "store_refused_request" });
    }
    // Only GET /me answers from the token alone.
    expect(withoutCalls).toEqual(["getMe"]);
  });
});
