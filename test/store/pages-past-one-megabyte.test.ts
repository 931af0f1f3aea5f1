/**
 * DynamoDB cuts a Query's page at 1 MB of items, counted in UTF-8 bytes, before its Limit. Notes
 * are seeded straight into the table (fast) and read back through the app, page by page, as a
 * client does: every note exactly once, newest first, whatever the page size.
 */
import { QueryCommand } from "@aws-sdk/lib-dynamodb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountExport } from "../../contract/account";
import type { NoteList } from "../../contract/notes";
import { noteLimits } from "../../contract/note-limits";
import { DynamoNoteStore } from "../../service/src/notes/dynamo-store";
import { NOTE_ID_RANGE } from "../../service/src/notes/note-id";
import { authHeaders, jsonOf, testApp, type TestApp } from "../helpers/app";
import { localTransport, startTestTable, type TestTable } from "../helpers/dynamodb";
import { seedNotes, sturdyDoc } from "../helpers/seed-notes";
import { idToken } from "../helpers/tokens";

const BIG_USER = "b16b0d1e-0000-4000-8000-00000000b16b";
const MANY_USER = "5a11b0d1-0000-4000-8000-0000005a11b0";

/** At the body limit: 3 000 × "€" (3 bytes each) and 7 000 ASCII characters, 16 000 UTF-8 bytes, 10 000 UTF-16 units. */
function bigBody(i: number): string {
  const tag = String(i).padStart(4, "0");
  return "€".repeat(3_000) + tag + "x".repeat(7_000 - tag.length);
}

let table: TestTable;
let app: TestApp;
let bigIds: string[];
let manyIds: string[];

beforeAll(async () => {
  table = await startTestTable();
  app = testApp(table);
  const doc = sturdyDoc(table.endpoint);
  try {
    bigIds = newestFirst(await seedNotes(doc, table.tableName, BIG_USER, 150, bigBody));
    manyIds = newestFirst(await seedNotes(doc, table.tableName, MANY_USER, 5_000, 40));
  } finally {
    doc.destroy();
  }
}, 120_000);
afterAll(() => table?.close());

/** The order GET /notes promises: note ids (UUIDv7) descending. */
function newestFirst(ids: readonly string[]): string[] {
  return [...ids].sort().reverse();
}

/** Every page of GET /notes at `limit`, following nextCursor until it is null. */
async function pages(sub: string, limit: number): Promise<NoteList[]> {
  const token = idToken(sub);
  const all: NoteList[] = [];
  let cursor: string | null = null;
  do {
    const res: Response = await app.request(`/notes?limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`, { headers: authHeaders(token) });
    expect(res.status).toBe(200);
    const page: NoteList = await jsonOf<NoteList>(res);
    all.push(page);
    cursor = page.nextCursor;
  } while (cursor);
  return all;
}

/** Each page full up to the last, the last with no cursor, and together every note once, newest first. */
function expectEveryNoteOnce(all: readonly NoteList[], limit: number, expected: readonly string[]): void {
  expect(all.map((p) => p.items.length)).toEqual(
    Array.from({ length: Math.ceil(expected.length / limit) }, (_, i) => Math.min(limit, expected.length - i * limit)),
  );
  expect(all.at(-1)?.nextCursor).toBeNull();
  expect(all.flatMap((p) => p.items.map((n) => n.id))).toEqual(expected);
}

async function exportedIds(sub: string): Promise<string[]> {
  const res = await app.request("/me/export", { headers: authHeaders(idToken(sub)) });
  expect(res.status).toBe(200);
  // Parsed whole: a stream cut short would not be valid JSON.
  const doc = JSON.parse(await res.text()) as AccountExport;
  return doc.notes.map((n) => n.id);
}

describe("150 notes of 16 000 UTF-8 bytes each (the body limit, in multi-byte text)", () => {
  it("are more than one DynamoDB page: a Query for 100 of them stops early and says more remain", async () => {
    expect(bigBody(0)).toHaveLength(noteLimits.bodyMax);
    expect(Buffer.byteLength(bigBody(0))).toBe(16_000);
    const out = await table.doc.send(
      new QueryCommand({
        TableName: table.tableName,
        KeyConditionExpression: "userId = :u AND noteId BETWEEN :first AND :last",
        ExpressionAttributeValues: { ":u": BIG_USER, ":first": NOTE_ID_RANGE.first, ":last": NOTE_ID_RANGE.last },
        Limit: 100,
      }),
    );
    expect(out.Items?.length).toBeLessThan(100);
    expect(out.LastEvaluatedKey).toBeDefined();
  });

  it.each([1, 10, 100])("every page of GET /notes?limit=%i together holds all 150 exactly once, each page full but the last", async (limit) => {
    const all = await pages(BIG_USER, limit);
    expectEveryNoteOnce(all, limit, bigIds);
    // The bodies came back whole, multi-byte characters included.
    expect(all[0]?.items[0]?.body).toBe(bigBody(149));
  });

  it("the export holds all 150 exactly once, newest first", async () => {
    expect(await exportedIds(BIG_USER)).toEqual(bigIds);
  });
});

// Limit 1 would be 5 000 requests: limits 10 and 100 (500 and 50 pages) cover the paging.
describe("5 000 small notes", () => {
  it.each([10, 100])("every page of GET /notes?limit=%i together holds all 5 000 exactly once", async (limit) => {
    expectEveryNoteOnce(await pages(MANY_USER, limit), limit, manyIds);
  });

  it("the export holds all 5 000 exactly once, newest first", async () => {
    expect(await exportedIds(MANY_USER)).toEqual(manyIds);
  });
});

describe("DynamoNoteStore.list when every Query page is cut short", () => {
  it("fills the page from LastEvaluatedKey and gives a cursor exactly when more notes remain", async () => {
    // Every Query capped at 3 items, as if each one reached the 1 MB cut.
    const cut = localTransport(table.endpoint, {
      maxAttempts: 1,
      interceptor: ({ operation, input }, send) =>
        send(operation === "Query" ? { ...(input as object), Limit: Math.min(3, (input as { Limit: number }).Limit) } : undefined),
    });
    try {
      const store = new DynamoNoteStore(cut, table.tableName);
      const seen: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await store.list(BIG_USER, 40, after);
        seen.push(...page.items.map((n) => n.id));
        if (page.lastNoteId === null) break;
        expect(page.items).toHaveLength(40);
        after = page.lastNoteId;
      }
      expect(seen).toEqual(bigIds);
      // A page that ends exactly at the last note: no cursor to an empty page.
      const exact = await store.list(BIG_USER, 30, bigIds[119]);
      expect(exact.items.map((n) => n.id)).toEqual(bigIds.slice(120));
      expect(exact.lastNoteId).toBeNull();
    } finally {
      cut.destroy();
    }
  });
});

describe("DynamoNoteStore.list's cost", () => {
  it("a page that fits in one DynamoDB page is one Query; 100 notes of 16 000 bytes are two", async () => {
    let queries = 0;
    const counted = localTransport(table.endpoint, {
      maxAttempts: 1,
      interceptor: ({ operation }, send) => {
        if (operation === "Query") queries++;
        return send();
      },
    });
    try {
      const store = new DynamoNoteStore(counted, table.tableName);
      expect((await store.list(MANY_USER, 100, undefined)).items).toHaveLength(100);
      expect(queries).toBe(1);
      queries = 0;
      expect((await store.list(BIG_USER, 100, undefined)).items).toHaveLength(100);
      expect(queries).toBe(2);
    } finally {
      counted.destroy();
    }
  });
});
