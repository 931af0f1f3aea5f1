// One pino JSON line per request with the gateway's request id and the caller's sub,
// and never any part of the token — checked on the real pino output, not on a mock.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRootLogger } from "../../service/src/runtime/logger";
import { testApp, type TestApp } from "../helpers/app";
import { startTestTable, type TestTable } from "../helpers/dynamodb";
import { idToken, TEST_CLIENT_ID } from "../helpers/tokens";

const SUB = "1ce5a1d0-7e57-4c0d-9a11-5ab0c0ffee00";
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let table: TestTable;
let app: TestApp;
const output: string[] = [];

beforeAll(async () => {
  table = await startTestTable();
  app = testApp(table, { logger: createRootLogger("info", { write: (line: string) => void output.push(line) }) });
});
afterAll(() => table.close());

type Line = Record<string, unknown>;
/** The log lines written during `fn`. */
async function linesOf(fn: () => Promise<unknown>): Promise<Line[]> {
  const from = output.length;
  await fn();
  return output
    .slice(from)
    .join("")
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Line);
}

/** Every part of a compact JWT, and a slice of each (a truncated token leaks too). */
function tokenFragments(token: string): string[] {
  return token
    .split(".")
    .filter((p) => p.length > 0)
    .flatMap((p) => [p, p.slice(0, 16), p.slice(-16)]);
}

describe("request log line", () => {
  it("is one JSON line with the gateway's request id, method, route, status, duration and sub; the id is echoed", async () => {
    const token = idToken(SUB);
    let res!: Response;
    const lines = await linesOf(async () => {
      res = await app.request("/me", { headers: { Authorization: token, "x-request-id": "c0ffee-gw-42" } });
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe("c0ffee-gw-42");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: "info",
      msg: "request",
      requestId: "c0ffee-gw-42",
      method: "GET",
      route: "/me",
      status: 200,
      sub: SUB,
    });
    expect(typeof lines[0]?.durationMs).toBe("number");
  });

  it("carries no part of the token anywhere in the output, for accepted and refused tokens alike", async () => {
    const good = idToken(SUB);
    const refused = idToken(SUB, { aud: `not-${TEST_CLIENT_ID}` });
    const before = output.length;
    await app.request("/me", { headers: { Authorization: good } });
    await app.request("/me", { headers: { Authorization: `Bearer ${good}` } });
    await app.request("/notes", { headers: { Authorization: good } });
    const res = await app.request("/me", { headers: { Authorization: refused } });
    expect(res.status).toBe(401);
    const written = output.slice(before).join("");
    expect(written.split("\n").filter(Boolean)).toHaveLength(4);
    for (const fragment of [...tokenFragments(good), ...tokenFragments(refused)]) expect(written).not.toContain(fragment);
    // The refusal is logged with its reason, not with the token.
    expect(JSON.parse(written.trim().split("\n").at(-1) as string)).toMatchObject({ status: 401, error: "unauthorized", reason: "wrong_audience" });
  });

  it("generates a request id when the gateway sent none, and echoes it", async () => {
    let res!: Response;
    const [line] = await linesOf(async () => {
      res = await app.request("/me", { headers: { Authorization: idToken(SUB) } });
    });
    const id = res.headers.get("x-request-id");
    expect(id).toMatch(UUID);
    expect(line?.requestId).toBe(id);
  });

  it.each([
    ["too long", "a".repeat(129)],
    ["bad characters", "abc def<script>"],
    ["a log-injection attempt", 'x","sub":"admin'],
  ])("replaces an invalid x-request-id (%s) instead of echoing or logging it", async (_name, bad) => {
    let res!: Response;
    const lines = await linesOf(async () => {
      res = await app.request("/me", { headers: { Authorization: idToken(SUB), "x-request-id": bad } });
    });
    expect(res.headers.get("x-request-id")).toMatch(UUID);
    expect(lines[0]?.requestId).toBe(res.headers.get("x-request-id"));
    expect(lines[0]?.sub).toBe(SUB);
    expect(JSON.stringify(lines)).not.toContain(bad);
  });
});
