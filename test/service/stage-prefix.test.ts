/**
 * API Gateway may send `/<stage>/notes` or `/notes` to the private
 * integration, so the service routes `/<stage>/…` exactly as `/…` — only that one leading segment,
 * only the configured stage — and logs, once per form, which one it received.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { routes, toColonPath, type Route } from "../../contract/routes";
import { ensureNotesTable } from "../../local/table";
import type { Logger } from "../../service/src/logger";
import { PATH_FORM_MESSAGE } from "../../service/src/http/stage-prefix";
import { DynamoNoteStore } from "../../service/src/notes/dynamo-store";
import { authHeaders, jsonHeaders, silentLogger, testAccount, testApp, type TestApp } from "../helpers/app";
import { startTestTable, type TestTable } from "../helpers/dynamodb";
import { idToken } from "../helpers/tokens";

const STAGE = "dev";
type Form = "unprefixed" | "stage-prefixed";
const pathIn = (form: Form, path: string) => (form === "stage-prefixed" ? `/${STAGE}${path}` : path);

let table: TestTable;
/** One app per form, each on its own table, so the same steps give the same answers. */
const apps = {} as Record<Form, TestApp>;

beforeAll(async () => {
  table = await startTestTable();
  await ensureNotesTable(table.raw, "notes-test-prefixed");
  apps.unprefixed = testApp(table, { stageName: STAGE });
  apps["stage-prefixed"] = testApp(table, {
    stageName: STAGE,
    store: new DynamoNoteStore(table.dynamo, "notes-test-prefixed"),
    account: testAccount(table, { tableName: "notes-test-prefixed" }),
  });
});
afterAll(() => table.close());

/** What a client can observe of a response, with generated ids and timestamps masked. */
interface Observed {
  readonly status: number;
  readonly contentType: string | null;
  readonly etag: string | null;
  readonly location: string | null;
  readonly body: unknown;
}

const VOLATILE = new Set(["id", "createdAt", "updatedAt", "exportedAt"]);
function mask(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mask);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, VOLATILE.has(k) ? `<${k}>` : mask(v)]));
  }
  return value;
}

async function observe(res: Response): Promise<Observed> {
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    etag: res.headers.get("etag"),
    location: res.headers.get("location")?.replace(/[0-9a-f-]{36}$/, "<id>") ?? null,
    body: text === "" ? "" : mask(JSON.parse(text)),
  };
}

/**
 * Exercise one route in one form: the same token (so /me's iat/exp match), the same set-up (always unprefixed) and then the
 * route's request itself with the path in `form`. Path parameters name a note the set-up created.
 */
async function exercise(route: Route, form: Form, token: string): Promise<Observed> {
  const app = apps[form];
  const created = await app.request("/notes", { method: "POST", headers: jsonHeaders(token), body: JSON.stringify({ title: "t", body: "b" }) });
  expect(created.status).toBe(201);
  const noteId = ((await created.json()) as { id: string }).id;
  const path = toColonPath(route.path).replace(":noteId", noteId);
  const hasBody = route.method === "POST" || route.method === "PUT";
  const res = await app.request(pathIn(form, path), {
    method: route.method,
    headers: hasBody ? jsonHeaders(token, route.method === "PUT" ? { "If-Match": '"1"' } : {}) : authHeaders(token),
    body: hasBody ? JSON.stringify({ title: "edited", body: "b2" }) : undefined,
  });
  return observe(res);
}

describe("stage prefix: /<stage>/… routes exactly as /…", () => {
  it.each(routes.map((r) => [`${r.method} ${r.path}`, r] as const))("%s answers the same with and without /dev", async (_key, route) => {
    // One user per route, the same in both apps: /me's body and the notes' owner match.
    const sub = `5a9e0000-0000-4000-8000-${String(routes.indexOf(route)).padStart(12, "0")}`;
    const token = idToken(sub);
    const plain = await exercise(route, "unprefixed", token);
    const prefixed = await exercise(route, "stage-prefixed", token);
    // The unprefixed answer is the route's success, so "the same" is not "both 404".
    expect(plain.status, JSON.stringify(plain.body)).toBeGreaterThanOrEqual(200);
    expect(plain.status).toBeLessThan(300);
    expect(prefixed).toEqual(plain);
  });

  it("refusals are the same too: no token 401, a missing note 404, a bad body 400", async () => {
    const token = idToken("5a9e0000-0000-4000-8000-999999999999");
    const cases: Array<[string, RequestInit]> = [
      ["/me", {}],
      ["/notes/0190c6d0-0000-7000-8000-000000000000", { headers: authHeaders(token) }],
      ["/notes", { method: "POST", headers: jsonHeaders(token), body: '{"title":""}' }],
    ];
    for (const [path, init] of cases) {
      const plain = await observe(await apps.unprefixed.request(path, init));
      const prefixed = await observe(await apps["stage-prefixed"].request(pathIn("stage-prefixed", path), init));
      expect(prefixed, path).toEqual(plain);
      expect(plain.status, path).toBeGreaterThanOrEqual(400);
    }
  });

  it("only one leading segment, only the configured stage: anything else is still 404", async () => {
    const app = apps.unprefixed;
    const token = idToken("5a9e0000-0000-4000-8000-888888888888");
    for (const path of ["/prod/me", "/Dev/me", "/dev/dev/me", "/devme", "/dev-x/me", "/x/dev/me", "/dev", "/dev/", "/me/dev"]) {
      const res = await app.request(path, { headers: authHeaders(token) });
      expect(res.status, path).toBe(404);
      expect(await res.json(), path).toEqual({ error: { code: "not_found", message: "No route for this method and path" } });
    }
    // The same token works on the real paths, so the 404s above are about the path alone.
    expect((await app.request("/me", { headers: authHeaders(token) })).status).toBe(200);
    expect((await app.request("/dev/me", { headers: authHeaders(token) })).status).toBe(200);
  });

  it("/health answers unprefixed (the load balancer's form) and, by the same rule, as /dev/health", async () => {
    for (const path of ["/health", "/dev/health"]) {
      const res = await apps.unprefixed.request(path);
      expect(res.status, path).toBe(200);
      expect(await res.json()).toEqual({ status: "ok" });
    }
  });

  it("without a stage name, a prefixed path is just an unknown path (404)", async () => {
    const app = testApp(table);
    const token = idToken("5a9e0000-0000-4000-8000-777777777777");
    expect((await app.request("/me", { headers: authHeaders(token) })).status).toBe(200);
    expect((await app.request("/dev/me", { headers: authHeaders(token) })).status).toBe(404);
  });
});

describe("stage prefix: the once-per-process log line says which form came", () => {
  function recordingLogger(): { logger: Logger; lines: Array<{ msg: string; fields: Record<string, unknown> }> } {
    const lines: Array<{ msg: string; fields: Record<string, unknown> }> = [];
    const record = (fields: unknown, msg?: unknown) => void lines.push({ msg: String(msg), fields: fields as Record<string, unknown> });
    return { logger: { ...silentLogger, info: record as Logger["info"] }, lines };
  }
  const formLines = (lines: ReturnType<typeof recordingLogger>["lines"]) => lines.filter((l) => l.msg === PATH_FORM_MESSAGE).map((l) => l.fields);

  it.each<[Form, string]>([
    ["stage-prefixed", "/dev/me"],
    ["unprefixed", "/me"],
  ])("%s: one line naming the form and the stage, however many requests follow; health checks do not count", async (form, path) => {
    const { logger, lines } = recordingLogger();
    const app = testApp(table, { stageName: STAGE, logger });
    const token = idToken("5a9e0000-0000-4000-8000-666666666666");
    // The load balancer's checks come first in a real task; they say nothing about the gateway.
    for (const health of ["/health", "/dev/health"]) expect((await app.request(health)).status).toBe(200);
    expect(formLines(lines)).toEqual([]);
    for (let i = 0; i < 3; i++) expect((await app.request(path, { headers: authHeaders(token) })).status).toBe(200);
    expect(formLines(lines)).toEqual([{ pathForm: form, stageName: STAGE }]);
  });

  it("a process that sees both forms says so, once each", async () => {
    const { logger, lines } = recordingLogger();
    const app = testApp(table, { stageName: STAGE, logger });
    const token = idToken("5a9e0000-0000-4000-8000-555555555555");
    // `/devme` is not the stage segment: it is an unprefixed (unknown) path.
    for (const path of ["/devme", "/me", "/dev/me", "/me", "/dev/notes", "/notes"]) await app.request(path, { headers: authHeaders(token) });
    expect(formLines(lines)).toEqual([
      { pathForm: "unprefixed", stageName: STAGE },
      { pathForm: "stage-prefixed", stageName: STAGE },
    ]);
  });
});
