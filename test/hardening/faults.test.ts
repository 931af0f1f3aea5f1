/**
 * Faults: the store going away (connections refused mid-run, or a network
 * black hole) and DynamoDB throttling are 503 + Retry-After with the JSON error body, the service
 * recovers when the store returns and nothing acknowledged is lost; a JWKS fetch failure in verify
 * mode keeps serving with the cached keys.
 */
import { randomUUID } from "node:crypto";
import type { Jwks } from "aws-jwt-verify/jwk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isErrorBody } from "../../contract/errors";
import type { Note } from "../../contract/notes";
import { acceptedIssuers } from "../../service/src/auth/issuers";
import { JwksSignatureVerifier } from "../../service/src/auth/signature";
import type { DynamoTransport, DynamoTransportOptions } from "../../service/src/dynamo/transport";
import { DynamoNoteStore } from "../../service/src/notes/dynamo-store";
import type { Logger } from "../../service/src/logger";
import { authHeaders, jsonHeaders, jsonOf, silentLogger, testApp, type TestApp, listAll } from "../helpers/app";
import { localTransport, startTestTable, type TestTable } from "../helpers/dynamodb";
import { startDynamoStandIn } from "../helpers/dynamo-stand-in";
import { startTcpProxy, type TcpProxy } from "../helpers/tcp-proxy";
import { idTokenClaims, newTestKey, signJwt, testKey, TEST_CLIENT_ID, TEST_ISSUER } from "../helpers/tokens";

let table: TestTable;

beforeAll(async () => {
  table = await startTestTable();
});
afterAll(() => table.close());

/** A DynamoDB transport configured like the service's (service/src/runtime/start.ts: maxAttempts 2), through `endpoint`. */
function serviceLikeClient(endpoint: string, extra: Partial<Omit<DynamoTransportOptions, "endpoint">> = {}): DynamoTransport {
  return localTransport(endpoint, { maxAttempts: 2, ...extra });
}

/** 503 `unavailable` with a numeric Retry-After and a JSON body that names no internals. */
async function expectUnavailable(res: Response): Promise<void> {
  expect(res.status).toBe(503);
  expect(res.headers.get("retry-after")).toMatch(/^[1-9]\d*$/);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const text = await res.text();
  const body: unknown = JSON.parse(text);
  expect(isErrorBody(body) && body.error.code).toBe("unavailable");
  expect(text).not.toMatch(/ECONN|127\.0\.0\.1|Exception|TimeoutError|at .*\.js/);
}

const port = (endpoint: string) => Number(new URL(endpoint).port);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("store unreachable", () => {
  let proxy: TcpProxy;
  let client: DynamoTransport;
  let app: TestApp;

  beforeAll(async () => {
    proxy = await startTcpProxy(port(table.endpoint));
    client = serviceLikeClient(proxy.endpoint);
    app = testApp(table, { store: new DynamoNoteStore(client, table.tableName) });
  });
  afterAll(async () => {
    client.destroy();
    await proxy.close();
  });

  it("DynamoDB cut off mid-run: every answer is 2xx or 503 + Retry-After JSON; it recovers; no acknowledged write is lost", async () => {
    const token = idToken();
    const acknowledged = new Set<string>();
    let ambiguous = 0;
    let stop = false;
    const phases = { up: 0, down503: 0, downOther: 0, after: 0, afterFailures: 0 };
    let phase: "up" | "down" | "after" = "up";

    // Four clients create and list continuously while the store goes away and comes back.
    const worker = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const started = phase;
        const res = await app.request("/notes", {
          method: "POST",
          headers: jsonHeaders(token),
          body: JSON.stringify({ title: `w${w}-${i}`, body: "" }),
        });
        if (res.status === 201) acknowledged.add((await jsonOf<Note>(res)).id);
        else {
          await expectUnavailable(res);
          ambiguous++;
        }
        // A request that started and ended while the store was down must be a 503.
        if (started === "down" && phase === "down") {
          if (res.status === 503) phases.down503++;
          else phases.downOther++;
        }
        if (started === "after") {
          phases.after++;
          if (res.status !== 201) phases.afterFailures++;
        }
        if (started === "up") phases.up++;
        const list = await app.request("/notes?limit=5", { headers: authHeaders(token) });
        if (list.status !== 200) await expectUnavailable(list);
      }
    };
    const workers = [0, 1, 2, 3].map(worker);

    await until(() => phases.up >= 20);
    await proxy.refuse();
    phase = "down";
    await until(() => phases.down503 >= 20);
    await proxy.restore();
    phase = "after";
    await until(() => phases.after >= 40);
    stop = true;
    await Promise.all(workers);

    expect(phases.downOther).toBe(0);
    expect(phases.afterFailures).toBe(0);
    const listed = new Set((await listAll(app, token)).map((n) => n.id));
    for (const id of acknowledged) expect(listed.has(id), `acknowledged note ${id} lost`).toBe(true);
    // A 503'd create may or may not have landed (the reply, not the write, can be what was lost).
    expect(listed.size).toBeLessThanOrEqual(acknowledged.size + ambiguous);
  }, 30_000);

  it("a black-holed store (no answer at all) is 503 once the client's socket timeout fires, then recovers", async () => {
    // The service's transport times out after 1 s (connect) / 5 s (attempt): this one sooner, see docs/runtime.md.
    const timed = serviceLikeClient(proxy.endpoint, { maxAttempts: 1, connectTimeoutMs: 300, requestTimeoutMs: 300 });
    const causes: string[] = [];
    const logger = { ...silentLogger, warn: (obj: { err?: { cause?: { name?: string } } }) => void causes.push(obj.err?.cause?.name ?? "?") };
    const timedApp = testApp(table, { store: new DynamoNoteStore(timed, table.tableName), logger: logger as Logger });
    const token = idToken();
    // Written before the outage without the 300 ms timeout (a create's transaction can take longer on a loaded machine).
    const before = await testApp(table).request("/notes", { method: "POST", headers: jsonHeaders(token), body: '{"title":"kept","body":""}' });
    expect(before.status).toBe(201);

    await proxy.blackhole();
    await expectUnavailable(await timedApp.request("/notes", { headers: authHeaders(token) }));
    await expectUnavailable(await timedApp.request("/notes", { method: "POST", headers: jsonHeaders(token), body: '{"title":"t","body":""}' }));
    await proxy.restore();
    // The 503s came from the timeout (a pooled connection reset by the switch may add an ECONNRESET).
    expect(causes).toContain("TimeoutError");

    const after = await listAll(timedApp, token);
    expect(after.map((n) => n.title)).toContain("kept");
    timed.destroy();
  }, 20_000);
});

describe("DynamoDB throttling", () => {
  it("throttled requests are 503 + Retry-After: 1; once DynamoDB accepts again, requests succeed and data is intact", async () => {
    // DynamoDB's own throttling answer, from a stand-in in front of DynamoDB Local: every attempt
    // (including the transport's retry) reaches it and can be throttled.
    const standIn = await startDynamoStandIn(table.endpoint);
    const client = serviceLikeClient(standIn.endpoint);
    const attempts = () => standIn.seen.length;
    const app = testApp(table, { store: new DynamoNoteStore(client, table.tableName) });
    const token = idToken();
    const created = await jsonOf<Note>(await app.request("/notes", { method: "POST", headers: jsonHeaders(token), body: '{"title":"before","body":""}' }));

    // Throttle long enough that the transport's own retry gives up: the client is told to come back.
    standIn.throttle(4);
    const start = attempts();
    await expectUnavailable(await app.request("/notes", { headers: authHeaders(token) }));
    await expectUnavailable(
      await app.request(`/notes/${created.id}`, { method: "PUT", headers: jsonHeaders(token, { "If-Match": '"1"' }), body: '{"title":"lost?","body":""}' }),
    );
    expect(attempts() - start).toBe(4); // two requests × maxAttempts 2
    expect(standIn.throttlesLeft).toBe(0);

    // Recovered: reads and writes work and the throttled update changed nothing.
    const got = await app.request(`/notes/${created.id}`, { headers: authHeaders(token) });
    expect(got.status).toBe(200);
    expect(await got.json()).toEqual(created);
    const put = await app.request(`/notes/${created.id}`, {
      method: "PUT",
      headers: jsonHeaders(token, { "If-Match": '"1"' }),
      body: '{"title":"after","body":""}',
    });
    expect(put.status).toBe(200);

    // One throttled attempt is absorbed by the transport's retry: the client never sees it.
    standIn.throttle(1);
    expect((await app.request("/notes", { headers: authHeaders(token) })).status).toBe(200);
    expect(standIn.throttlesLeft).toBe(0);
    client.destroy();
    await standIn.close();
  }, 20_000);
});

describe("JWKS fetch failure in verify mode", () => {
  const key = testKey();
  const rotated = newTestKey("rotated-kid");
  const tokenWith = (k: typeof key, sub: string) => signJwt(idTokenClaims(sub), k);

  function verifier(fetchJwks: () => Promise<Jwks>, minRefetchIntervalMs: number) {
    return new JwksSignatureVerifier({
      issuers: acceptedIssuers(TEST_ISSUER),
      clientId: TEST_CLIENT_ID,
      jwksUri: "https://jwks.test/.well-known/jwks.json",
      minRefetchIntervalMs,
      fetchJwks,
    });
  }

  it("keeps verifying with the cached keys while the JWKS endpoint fails; an unknown kid is 401; rotation is picked up when it returns", async () => {
    let fetches = 0;
    let jwksUp = true;
    let served: Jwks = { keys: [key.publicJwk] } as unknown as Jwks;
    const signature = verifier(async () => {
      fetches++;
      if (!jwksUp) throw new Error("connect ECONNREFUSED jwks");
      return served;
    }, 0);
    await signature.load();
    const app = testApp(table, { signature });
    const sub = randomUUID();

    expect((await app.request("/me", { headers: { Authorization: tokenWith(key, sub) } })).status).toBe(200);

    jwksUp = false;
    // An unknown kid makes the verifier refetch; the refetch fails; the token is refused...
    const unknown = await app.request("/me", { headers: { Authorization: tokenWith(rotated, sub) } });
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ error: { code: "unauthorized" } });
    expect(fetches).toBe(2);
    // ...and the cached keys are kept: known-kid tokens keep passing, also concurrently.
    const many = await Promise.all(Array.from({ length: 50 }, () => app.request("/notes", { headers: { Authorization: tokenWith(key, sub) } })));
    expect(many.map((r) => r.status)).toEqual(many.map(() => 200));

    // The JWKS is back with a rotated key: the new kid verifies, the old one still does.
    jwksUp = true;
    served = { keys: [key.publicJwk, rotated.publicJwk] } as unknown as Jwks;
    expect((await app.request("/me", { headers: { Authorization: tokenWith(rotated, sub) } })).status).toBe(200);
    expect((await app.request("/me", { headers: { Authorization: tokenWith(key, sub) } })).status).toBe(200);
  });

  it("a flood of unknown kids refetches at most once per interval (no JWKS stampede), and never 5xx", async () => {
    let fetches = 0;
    const signature = verifier(async () => {
      fetches++;
      if (fetches > 1) throw new Error("JWKS down");
      return { keys: [key.publicJwk] } as unknown as Jwks;
    }, 60_000);
    await signature.load();
    const app = testApp(table, { signature });
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) => app.request("/me", { headers: { Authorization: tokenWith(newKeyFor(i), randomUUID()) } })),
    );
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 401));
    expect(fetches).toBe(1); // the load at start; within the interval no refetch at all
    expect((await app.request("/me", { headers: { Authorization: tokenWith(key, randomUUID()) } })).status).toBe(200);
  });
});

const unknownKeys = [newTestKey("unknown-a"), newTestKey("unknown-b")];
function newKeyFor(i: number) {
  return unknownKeys[i % unknownKeys.length] as (typeof unknownKeys)[number];
}

function idToken(): string {
  return signJwt(idTokenClaims(randomUUID()), testKey());
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await pause(5);
}
