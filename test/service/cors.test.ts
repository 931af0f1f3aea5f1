import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../service/src/app";
import { acceptedIssuers } from "../../service/src/auth/issuers";
import { parseServiceConfig } from "../../service/src/config";
import { DynamoNoteStore } from "../../service/src/notes/dynamo-store";
import { silentLogger, testAccount } from "../helpers/app";
import { startTestTable, type TestTable } from "../helpers/dynamodb";
import { idToken, TEST_CLIENT_ID, TEST_ISSUER } from "../helpers/tokens";

let table: TestTable;
beforeAll(async () => {
  table = await startTestTable();
});
afterAll(() => table.close());

function appWith(origins: readonly string[]) {
  return createApp({
    store: new DynamoNoteStore(table.dynamo, table.tableName),
    account: testAccount(table),
    auth: { issuers: acceptedIssuers(TEST_ISSUER), clientId: TEST_CLIENT_ID, signature: null },
    logger: silentLogger,
    corsAllowedOrigins: origins,
  });
}

describe("CORS on the service's responses (the gateway passes them through)", () => {
  it("allows a configured origin to read the response and its ETag/Location", async () => {
    const res = await appWith(["https://app.example.com"]).request("/me", {
      headers: { Authorization: idToken("u-cors"), Origin: "https://app.example.com" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://app.example.com");
    expect(res.headers.get("access-control-expose-headers")).toContain("ETag");
  });

  it("a browser may send Idempotency-Key and If-Match: the preflight allows them", async () => {
    const res = await appWith(["https://app.example.com"]).request("/notes", {
      method: "OPTIONS",
      headers: {
        Origin: "https://app.example.com",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type,idempotency-key",
      },
    });
    const allowed = (res.headers.get("access-control-allow-headers") ?? "").toLowerCase().split(/\s*,\s*/);
    expect(allowed).toEqual(expect.arrayContaining(["authorization", "content-type", "idempotency-key", "if-match"]));
  });

  it("sends no allow-origin for another origin, and none at all when unset", async () => {
    const other = await appWith(["https://app.example.com"]).request("/me", {
      headers: { Authorization: idToken("u-cors"), Origin: "https://evil.example" },
    });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
    const none = await appWith([]).request("/me", { headers: { Authorization: idToken("u-cors"), Origin: "https://app.example.com" } });
    expect(none.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("reads CORS_ALLOWED_ORIGINS as a comma-separated list of origins and refuses a path or garbage", () => {
    const base = { TABLE_NAME: "notes", COGNITO_ISSUER: TEST_ISSUER, COGNITO_CLIENT_ID: TEST_CLIENT_ID, AUTH_MODE: "decode" };
    expect(parseServiceConfig({ ...base, CORS_ALLOWED_ORIGINS: "https://a.example, http://localhost:8081" }).CORS_ALLOWED_ORIGINS).toEqual([
      "https://a.example",
      "http://localhost:8081",
    ]);
    expect(parseServiceConfig(base).CORS_ALLOWED_ORIGINS).toEqual([]);
    expect(() => parseServiceConfig({ ...base, CORS_ALLOWED_ORIGINS: "https://a.example/path" })).toThrow(/CORS_ALLOWED_ORIGINS/);
    expect(() => parseServiceConfig({ ...base, CORS_ALLOWED_ORIGINS: "*" })).toThrow(/CORS_ALLOWED_ORIGINS/);
  });
});
