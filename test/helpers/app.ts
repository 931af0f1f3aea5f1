import { afterAll, beforeAll } from "vitest";
import type { Note, NoteList } from "../../contract/notes";
import { dynamoAccount, type AccountDeps } from "../../service/src/account/account";
import type { DeletionTiming } from "../../service/src/account/timing";
import type { UserDirectory } from "../../service/src/account/user-directory";
import { createApp } from "../../service/src/app";
import { systemClock, type Clock } from "../../service/src/clock";
import { JwksSignatureVerifier, type SignatureVerifier } from "../../service/src/auth/signature";
import { acceptedIssuers } from "../../service/src/auth/issuers";
import { DynamoNoteStore } from "../../service/src/notes/dynamo-store";
import type { NoteStore } from "../../service/src/notes/store";
import type { Logger } from "../../service/src/logger";
import { startTestTable, type TestTable } from "./dynamodb";
import { testKey, TEST_CLIENT_ID, TEST_ISSUER } from "./tokens";

export const silentLogger: Logger = { info() {}, warn() {}, error() {}, debug() {} };

/** Verify mode's signature check over the test key, its JWKS loaded: what a verify-mode service holds once started. */
export async function loadedTestVerifier(): Promise<JwksSignatureVerifier> {
  const signature = new JwksSignatureVerifier({
    issuers: acceptedIssuers(TEST_ISSUER),
    clientId: TEST_CLIENT_ID,
    jwksUri: "https://jwks.test/.well-known/jwks.json",
    fetchJwks: async () => ({ keys: [testKey().publicJwk] }) as never,
  });
  await signature.load();
  return signature;
}

export interface TestAppOptions {
  store?: NoteStore;
  /** Default: testAccount(table). */
  account?: AccountDeps;
  signature?: SignatureVerifier | null;
  clock?: Clock;
  logger?: Logger;
  /** The API Gateway stage whose `/<stage>` prefix the app accepts (STAGE_NAME). */
  stageName?: string;
}

/** Cognito's part of DELETE /me in service tests: records who was deleted (the e2e tests use cognito-local). */
export class RecordingUsers implements UserDirectory {
  readonly deleted: string[] = [];
  async deleteUser(username: string, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted();
    this.deleted.push(username);
  }
}

/**
 * Timing for tests that do not test DELETE /me: a write deadline longer than any test may run (the
 * 1 000 concurrent creates of test/hardening queue for the whole batch, tens of seconds on a busy
 * machine), so load never turns a create into a 503; a deletion as in production but with a 50 ms
 * commit margin. The tests of the deletion inject their own timing.
 */
export const relaxedTiming: DeletionTiming = { writeDeadlineMs: 300_000, budgetMs: 10_000, commitMarginMs: 50, leaseMs: 60_000 };

/** A test's pending-then-done pair: `pending` answers 202 (its commit margin outlasts its budget), `quick` finishes. */
export const pendingTiming: DeletionTiming = { writeDeadlineMs: 300_000, budgetMs: 3_000, commitMarginMs: 5_000, leaseMs: 60_000 };

export interface TestAccountOptions {
  timing?: DeletionTiming;
  users?: UserDirectory;
  logger?: Logger;
  /** Default: the test table's own. */
  tableName?: string;
}

/** The account lifecycle on the test table (the same client as the default store). */
export function testAccount(table: TestTable, options: TestAccountOptions = {}): AccountDeps {
  return dynamoAccount({
    client: table.dynamo,
    tableName: options.tableName ?? table.tableName,
    users: options.users ?? new RecordingUsers(),
    clock: systemClock,
    logger: options.logger ?? silentLogger,
    timing: options.timing ?? relaxedTiming,
  });
}

export function testApp(table: TestTable, options: TestAppOptions = {}) {
  return createApp({
    store: options.store ?? new DynamoNoteStore(table.dynamo, table.tableName, { writeDeadlineMs: relaxedTiming.writeDeadlineMs }),
    account: options.account ?? testAccount(table, { logger: options.logger }),
    auth: { issuers: acceptedIssuers(TEST_ISSUER), clientId: TEST_CLIENT_ID, signature: options.signature ?? null },
    logger: options.logger ?? silentLogger,
    clock: options.clock,
    stageName: options.stageName,
  });
}

export type TestApp = ReturnType<typeof testApp>;

export function authHeaders(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: token, ...extra };
}

export function jsonHeaders(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { Authorization: token, "Content-Type": "application/json", ...extra };
}

/** The response body as the type the test expects (the test's assertions check it). */
export async function jsonOf<T = Record<string, unknown>>(res: Response): Promise<T> {
  return (await res.json()) as T;
}

/** Every note of the token's user, following `nextCursor` page by page (100 per page). */
export async function listAll(app: TestApp, token: string): Promise<Note[]> {
  const notes: Note[] = [];
  let cursor: string | null = null;
  do {
    const res: Response = await app.request(`/notes?limit=100${cursor ? `&cursor=${cursor}` : ""}`, { headers: authHeaders(token) });
    if (res.status !== 200) throw new Error(`listing notes answered ${res.status}: ${await res.text()}`);
    const page: NoteList = await jsonOf<NoteList>(res);
    notes.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return notes;
}

/**
 * An in-memory table and a default app on it for the calling test file: started in beforeAll,
 * closed in afterAll. Read `t.app` / `t.table` inside tests.
 */
export function useTestApp(): { readonly app: TestApp; readonly table: TestTable } {
  const state: { app?: TestApp; table?: TestTable } = {};
  beforeAll(async () => {
    state.table = await startTestTable();
    state.app = testApp(state.table);
  });
  afterAll(() => state.table?.close());
  return {
    get app() {
      if (!state.app) throw new Error("useTestApp: the app exists only inside tests (after beforeAll)");
      return state.app;
    },
    get table() {
      if (!state.table) throw new Error("useTestApp: the table exists only inside tests (after beforeAll)");
      return state.table;
    },
  };
}
