/**
 * GET /me/export (its memory is the bench's export scenario): 5 000 notes
 * stream out page by page through a real HTTP server, and the document is byte for byte the user's
 * notes as the API and the table hold them. A store failure before the first byte is a 503; after
 * it, the download fails instead of ending as a short but valid document.
 */
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportFileName, type AccountExport } from "../../contract/account";
import type { MeResponse } from "../../contract/claims";
import type { Note } from "../../contract/notes";
import { EXPORT_PAGE_SIZE } from "../../service/src/account/handlers";
import type { Logger } from "../../service/src/logger";
import { DynamoNoteStore } from "../../service/src/notes/dynamo-store";
import { StoreUnavailableError, type NoteStore } from "../../service/src/notes/store";
import { createHttpServer, listen } from "../../service/src/runtime/http-server";
import { authHeaders, jsonOf, listAll, silentLogger, testApp, type TestApp } from "../helpers/app";
import { startTestTable, type TestTable } from "../helpers/dynamodb";
import { seedNotes, sturdyDoc } from "../helpers/seed-notes";
import { idToken } from "../helpers/tokens";

let table: TestTable;
let raw: ReturnType<typeof sturdyDoc>;
let app: TestApp;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  table = await startTestTable();
  raw = sturdyDoc(table.endpoint);
  app = testApp(table);
  server = createHttpServer(app.fetch);
  baseUrl = `http://127.0.0.1:${await listen(server, 0)}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  raw.destroy();
  await table.close();
});

/** The response body chunk by chunk, as the client receives it. */
async function chunksOf(res: Response): Promise<Uint8Array[]> {
  const chunks: Uint8Array[] = [];
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return chunks;
    chunks.push(value);
  }
}

/** The user's notes straight from the table, newest first, in the API's shape and key order. */
async function notesInTable(sub: string): Promise<Note[]> {
  const notes: Note[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const out = await raw.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: "userId = :u",
        ExpressionAttributeValues: { ":u": sub },
        ScanIndexForward: false,
        ExclusiveStartKey: startKey,
      }),
    );
    for (const i of out.Items ?? [])
      notes.push({ id: i.noteId, title: i.title, body: i.body, createdAt: i.createdAt, updatedAt: i.updatedAt, version: i.version });
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  return notes;
}

describe("GET /me/export", () => {
  it("5 000 notes stream out page by page; the document is byte for byte the profile and the notes read back through the API and from the table", async () => {
    const sub = randomUUID();
    const token = idToken(sub);
    await seedNotes(raw, table.tableName, sub, 5_000, 300);

    const res = await fetch(`${baseUrl}/me/export`, { headers: authHeaders(token) });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("no-store");
    // Streamed: no length known up front, chunked transfer.
    expect(res.headers.get("content-length")).toBeNull();
    expect(res.headers.get("transfer-encoding")).toBe("chunked");
    const chunks = await chunksOf(res);
    // At least one chunk per page of the table (the transport may split further, never merge all).
    expect(chunks.length).toBeGreaterThanOrEqual(5_000 / EXPORT_PAGE_SIZE);
    const text = Buffer.concat(chunks).toString("utf8");
    const document = JSON.parse(text) as AccountExport;
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${exportFileName(document.exportedAt)}"`);

    const me = await jsonOf<MeResponse>(await app.request("/me", { headers: authHeaders(token) }));
    const throughApi = await listAll(app, token);
    expect(throughApi).toHaveLength(5_000);
    const expected: AccountExport = { exportedAt: document.exportedAt, profile: me, notes: throughApi };
    expect(text).toBe(JSON.stringify(expected));
    expect(JSON.stringify(document.notes)).toBe(JSON.stringify(await notesInTable(sub)));
  }, 60_000);

  it("pulls pages as the client reads: a client that reads one chunk and waits has made the store read at most two pages", async () => {
    const sub = randomUUID();
    await seedNotes(raw, table.tableName, sub, 10 * EXPORT_PAGE_SIZE, 20);
    const store = new DynamoNoteStore(table.dynamo, table.tableName);
    let pagesRead = 0;
    const counting: NoteStore = {
      ...bind(store),
      list: (...args) => {
        pagesRead++;
        return store.list(...args);
      },
    };
    const res = await testApp(table, { store: counting }).request("/me/export", { headers: authHeaders(idToken(sub)) });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(pagesRead).toBeLessThanOrEqual(2);
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(pagesRead).toBeLessThanOrEqual(3);
  });

  it("the store failing before the first byte is 503 + Retry-After with the JSON error body", async () => {
    const failing: NoteStore = {
      ...bind(new DynamoNoteStore(table.dynamo, table.tableName)),
      list: () => Promise.reject(new StoreUnavailableError("down", 2)),
    };
    const res = await testApp(table, { store: failing }).request("/me/export", { headers: authHeaders(idToken(randomUUID())) });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("2");
    expect(res.headers.get("content-disposition")).toBeNull();
    expect(await res.json()).toEqual({ error: { code: "unavailable", message: expect.any(String) } });
  });

  it("the store failing after the first byte aborts the download: the client sees a failed transfer, never a complete-looking document", async () => {
    const sub = randomUUID();
    await seedNotes(raw, table.tableName, sub, 3 * EXPORT_PAGE_SIZE, 20);
    const store = new DynamoNoteStore(table.dynamo, table.tableName);
    let pages = 0;
    const failingLater: NoteStore = {
      ...bind(store),
      list: (...args) => (++pages === 3 ? Promise.reject(new StoreUnavailableError("gone mid-export", 2)) : store.list(...args)),
    };
    const warnings: string[] = [];
    const logger: Logger = { ...silentLogger, warn: ((_obj: unknown, msg: string) => void warnings.push(msg)) as Logger["warn"] };
    const failingApp = testApp(table, { store: failingLater, logger });

    // Through a real server: the connection is cut, the client's read fails.
    const failingServer = createHttpServer(failingApp.fetch);
    const url = `http://127.0.0.1:${await listen(failingServer, 0)}/me/export`;
    try {
      const res = await fetch(url, { headers: authHeaders(idToken(sub)) });
      expect(res.status).toBe(200);
      const received: Uint8Array[] = [];
      const reader = (res.body as ReadableStream<Uint8Array>).getReader();
      await expect(
        (async () => {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            received.push(value);
          }
        })(),
      ).rejects.toThrow();
      const partial = Buffer.concat(received).toString("utf8");
      expect(partial.startsWith('{"exportedAt":')).toBe(true);
      expect(() => JSON.parse(partial)).toThrow();
      expect(warnings).toContain("export aborted after the first byte");
    } finally {
      failingServer.closeAllConnections();
      await new Promise((resolve) => failingServer.close(resolve));
    }

    // Without a Node server (app.request): the body stream errors.
    pages = 0;
    const res = await failingApp.request("/me/export", { headers: authHeaders(idToken(sub)) });
    await expect(res.text()).rejects.toThrow("gone mid-export");
  });
});

/** A store's methods bound to it, to override one in a spread. */
function bind(store: NoteStore): NoteStore {
  return {
    create: store.create.bind(store),
    get: store.get.bind(store),
    list: store.list.bind(store),
    update: store.update.bind(store),
    delete: store.delete.bind(store),
  };
}
