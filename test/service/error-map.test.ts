/**
 * One error map: whatever the store, the deadline, the account or the user directory throws is
 * answered from one table (service/src/http/error-map.ts), the same on every route of the contract's
 * route table. Each route's dependencies here throw the error under test at their first call.
 */
import { describe, expect, it } from "vitest";
import { routes } from "../../contract/routes";
import type { AccountDeps } from "../../service/src/account/account";
import type { AccountDeletion } from "../../service/src/account/deletion";
import { AccountDeletedError } from "../../service/src/account/tombstones";
import { UserDirectoryUnavailableError } from "../../service/src/account/user-directory";
import { createApp } from "../../service/src/app";
import { acceptedIssuers } from "../../service/src/auth/issuers";
import { DeadlineExceededError } from "../../service/src/deadline";
import { DynamoServiceError } from "../../service/src/dynamo/errors";
import { newNoteId } from "../../service/src/notes/note-id";
import {
  NoteExistsError,
  NoteNotFoundError,
  StoreRequestError,
  StoreUnavailableError,
  VersionConflictError,
  type NoteStore,
} from "../../service/src/notes/store";
import type { Tombstones } from "../../service/src/account/tombstones";
import { IdempotencyKeyReusedError } from "../../service/src/notes/idempotency";
import { jsonHeaders, silentLogger } from "../helpers/app";
import { idToken, TEST_CLIENT_ID, TEST_ISSUER } from "../helpers/tokens";

/** An app whose store and account deletion fail with `make()` on every call. */
function failingApp(make: () => Error) {
  const fail = async (): Promise<never> => {
    throw make();
  };
  const store: NoteStore = { create: fail, get: fail, list: fail, update: fail, delete: fail };
  const account: AccountDeps = {
    // Only `delete` is called by the handler.
    deletion: { delete: fail } as unknown as AccountDeletion,
    // Read by the reaper only, which this app does not run.
    tombstones: {} as Tombstones,
    writeDeadlineMs: 60_000,
  };
  return createApp({
    store,
    account,
    auth: { issuers: acceptedIssuers(TEST_ISSUER), clientId: TEST_CLIENT_ID, signature: null },
    logger: silentLogger,
  });
}

interface Answer {
  readonly status: number;
  readonly code: string;
  readonly retryAfter: string | null;
}

const cases: [string, () => Error, Answer][] = [
  ["NoteNotFoundError", () => new NoteNotFoundError("gone"), { status: 404, code: "not_found", retryAfter: null }],
  ["VersionConflictError", () => new VersionConflictError(3), { status: 412, code: "precondition_failed", retryAfter: null }],
  ["NoteExistsError", () => new NoteExistsError("collision"), { status: 503, code: "unavailable", retryAfter: "1" }],
  ["StoreUnavailableError", () => new StoreUnavailableError("down", 2), { status: 503, code: "unavailable", retryAfter: "2" }],
  ["StoreRequestError (a ValidationException)", () => new StoreRequestError("refused"), { status: 400, code: "validation_failed", retryAfter: null }],
  ["IdempotencyKeyReusedError", () => new IdempotencyKeyReusedError("k"), { status: 422, code: "idempotency_key_reused", retryAfter: null }],
  ["DeadlineExceededError", () => new DeadlineExceededError("late"), { status: 503, code: "unavailable", retryAfter: "1" }],
  ["UserDirectoryUnavailableError", () => new UserDirectoryUnavailableError("cognito"), { status: 503, code: "unavailable", retryAfter: "2" }],
  ["AccountDeletedError", () => new AccountDeletedError("deleted"), { status: 401, code: "unauthorized", retryAfter: null }],
  // A DynamoDB error a store let through untranslated is answered as the stores answer it.
  [
    "an untranslated ThrottlingException",
    () => new DynamoServiceError("ThrottlingException", "slow down", 400, undefined),
    { status: 503, code: "unavailable", retryAfter: "1" },
  ],
  [
    "an untranslated ValidationException",
    () => new DynamoServiceError("ValidationException", "bad", 400, undefined),
    { status: 400, code: "validation_failed", retryAfter: null },
  ],
  ["anything else", () => new TypeError("a bug"), { status: 500, code: "internal", retryAfter: null }],
];

describe("one error map", () => {
  it.each(cases)("%s answers the same on every route that calls a dependency", async (_name, make, expected) => {
    const app = failingApp(make);
    const token = idToken("e770e770-0000-4000-8000-0000e770e770");
    const path = (p: string) => p.replace("{noteId}", newNoteId());
    const answered: string[] = [];
    for (const route of routes) {
      const withBody = route.method === "POST" || route.method === "PUT";
      const res = await app.request(path(route.path), {
        method: route.method,
        headers: jsonHeaders(token, { "If-Match": '"1"' }),
        ...(withBody ? { body: JSON.stringify({ title: "t", body: "b" }) } : {}),
      });
      // GET /me reads only the token: no dependency to fail.
      if (route.id === "getMe") {
        expect(res.status).toBe(200);
        continue;
      }
      const body = (await res.json()) as { error: { code: string } };
      expect({ route: route.id, status: res.status, code: body.error.code, retryAfter: res.headers.get("retry-after") }).toEqual({
        route: route.id,
        ...expected,
      });
      answered.push(route.id);
    }
    expect(answered).toHaveLength(routes.length - 1);
  });
});
