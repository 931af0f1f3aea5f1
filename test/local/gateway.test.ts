/**
 * The local gateway against a spy upstream and a generated pool key: Cognito authorizer
 * semantics, MISSING_AUTHENTICATION_TOKEN, header mapping, caching, integration failure.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Jwks } from "aws-jwt-verify/jwk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAuthorizer, type Authorizer } from "../../local/gateway/authorizer";
import { startGateway, type GatewayLogEntry, type RunningGateway } from "../../local/gateway/server";
import { PORT_SETTINGS } from "../../local/settings";
import { signRs256 } from "../../client/smoke/forge";

const ISSUER = "http://localhost:9229/local_TestPool";
const CLIENT_ID = "testclientid";
const KID = "CognitoLocal";

const poolKey = generateKeyPairSync("rsa", { modulusLength: 2048 });
const jwks: Jwks = { keys: [{ ...(poolKey.publicKey.export({ format: "jwk" }) as { kty: "RSA"; n: string; e: string }), kid: KID, alg: "RS256", use: "sig" }] };

function idClaims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { sub: "user-1", aud: CLIENT_ID, iss: ISSUER, token_use: "id", iat: now, exp: now + 3600, email: "a@example.com", ...overrides };
}
const token = (claims: Record<string, unknown> = idClaims(), key: KeyObject = poolKey.privateKey, kid = KID): string => signRs256(claims, key, kid);

let upstream: Server;
let upstreamUrl: string;
let seen: Array<{ method: string; url: string; headers: IncomingHttpHeaders; body: string }> = [];
let gateway: RunningGateway;
let authorizer: Authorizer;
const log: GatewayLogEntry[] = [];

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(200, { "content-type": "application/json", "x-from": "service", connection: "keep-alive" }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  authorizer = createAuthorizer({ issuer: ISSUER, clientId: CLIENT_ID, jwks, ttlSeconds: 300 });
  gateway = await startGateway({ serviceUrl: upstreamUrl, authorizer, port: 0, host: "127.0.0.1", setting: PORT_SETTINGS.gateway, log: (e) => log.push(e) });
});

afterAll(async () => {
  await gateway.close();
  await new Promise((r) => upstream.close(r));
});

beforeEach(() => {
  seen = [];
});

const call = (method: string, path: string, headers: Record<string, string> = {}, body?: string) =>
  fetch(`${gateway.url}${path}`, { method, headers, body }).then(async (res) => ({
    status: res.status,
    headers: res.headers,
    body: (await res.json()) as unknown,
  }));

describe("local gateway: Cognito authorizer", () => {
  it("refuses a token signed by a different key with correct claims (401) and never calls the service", async () => {
    const otherKey = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
    const res = await call("GET", "/me", { authorization: token(idClaims(), otherKey, KID) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: "unauthorized", message: "Unauthorized" } });
    expect(seen).toHaveLength(0);
    expect(log.at(-1)?.denyReason).toBe("bad_signature");
  });

  it.each([
    ["no header", {}],
    ["garbage", { authorization: "garbage" }],
    ["access token", { authorization: token(idClaims({ token_use: "access", aud: undefined, client_id: CLIENT_ID })) }],
    ["another app client", { authorization: token(idClaims({ aud: "other" })) }],
    ["another issuer", { authorization: token(idClaims({ iss: "http://localhost:9229/local_Other" })) }],
    ["unknown kid", { authorization: token(idClaims(), poolKey.privateKey, "other-kid") }],
  ])("refuses %s with 401 before the service", async (_name, headers: Record<string, string>) => {
    const res = await call("GET", "/notes", headers);
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: "unauthorized", message: "Unauthorized" } });
    expect(seen).toHaveLength(0);
  });

  it("answers an expired id token with API Gateway's expired message", async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await call("GET", "/me", { authorization: token(idClaims({ iat: now - 7200, exp: now - 60 })) });
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ error: { code: "unauthorized", message: "The incoming token has expired" } });
    expect(seen).toHaveLength(0);
  });

  it("does not crash on pool-signed times no Date can hold (exp or iat 2^53−1): passed on, as API Gateway would; the service refuses them", async () => {
    for (const times of [{ exp: Number.MAX_SAFE_INTEGER }, { iat: Number.MAX_SAFE_INTEGER }]) {
      const res = await call("GET", "/me", { authorization: token(idClaims(times)) });
      expect(res.status).toBe(200);
      // A second call is answered from the verdict cache, whose expiry is bounded by the TTL.
      expect((await call("GET", "/me", { authorization: token(idClaims(times)) })).status).toBe(200);
    }
    expect(seen).toHaveLength(4);
  });

  it("passes a valid id token, raw or Bearer, and caches the verdict per header value", async () => {
    const t = token();
    const before = authorizer.verifications;
    expect((await call("GET", "/me", { authorization: t })).status).toBe(200);
    expect((await call("GET", "/me", { authorization: t })).status).toBe(200);
    expect(authorizer.verifications - before).toBe(1);
    expect((await call("GET", "/me", { authorization: `Bearer ${t}` })).status).toBe(200);
    expect(seen).toHaveLength(3);
  });

  it("never serves a cached allow past the token's exp (re-verifies instead)", () => {
    let now = Date.now();
    const a = createAuthorizer({ issuer: ISSUER, clientId: CLIENT_ID, jwks, ttlSeconds: 3600, now: () => now });
    const exp = Math.floor(now / 1000) + 2;
    const t = token(idClaims({ exp }));
    expect(a.authorize(t).allow).toBe(true);
    expect(a.authorize(t).allow).toBe(true);
    expect(a.verifications).toBe(1);
    now = exp * 1000 + 1; // TTL (1 h) not over, but the token's exp is
    a.authorize(t);
    expect(a.verifications).toBe(2);
  });
});

describe("local gateway: routing and integration", () => {
  it.each([
    ["GET", "/nope"],
    ["PATCH", "/me"],
    ["DELETE", "/notes"],
    ["GET", "/notes/a/b"],
    ["GET", "/health"],
  ])("%s %s is MISSING_AUTHENTICATION_TOKEN (404) even with a valid token", async (method, path) => {
    const res = await call(method, path, { authorization: token() });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: "not_found", message: "Missing Authentication Token" } });
    expect(seen).toHaveLength(0);
  });

  it("forwards method, path, query, body, Authorization as is, a fresh x-request-id and client headers; drops hop-by-hop", async () => {
    const t = token();
    const res = await fetch(`${gateway.url}/notes?limit=5`, {
      method: "POST",
      headers: {
        authorization: t,
        "content-type": "application/json",
        "x-request-id": "client-chosen",
        "x-custom": "kept",
        "x-user-id": "spoof",
        "proxy-authorization": "secret",
      },
      body: '{"title":"t","body":"b"}',
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-from")).toBe("service");
    const gatewayId = res.headers.get("x-amzn-requestid");
    const [req] = seen;
    expect(req?.method).toBe("POST");
    expect(req?.url).toBe("/notes?limit=5");
    expect(req?.body).toBe('{"title":"t","body":"b"}');
    expect(req?.headers.authorization).toBe(t);
    expect(req?.headers["x-request-id"]).toBe(gatewayId);
    expect(req?.headers["x-request-id"]).not.toBe("client-chosen");
    expect(req?.headers["x-custom"]).toBe("kept");
    // HTTP_PROXY passes client headers through: the service must not trust identity headers.
    expect(req?.headers["x-user-id"]).toBe("spoof");
    expect(req?.headers["proxy-authorization"]).toBeUndefined();
  });

  it("stagePrefix: the service gets /<stage>/path?query; the client path and the route match are unchanged", async () => {
    const prefixed = await startGateway({
      serviceUrl: upstreamUrl,
      authorizer,
      stagePrefix: "local",
      port: 0,
      host: "127.0.0.1",
      setting: PORT_SETTINGS.gateway,
    });
    try {
      const t = token();
      expect((await fetch(`${prefixed.url}/notes/n-1?x=1`, { headers: { authorization: t } })).status).toBe(200);
      expect(seen.map((r) => r.url)).toEqual(["/local/notes/n-1?x=1"]);
      // Routing is on the client's path: the prefixed one is no route of the API.
      expect((await fetch(`${prefixed.url}/local/notes`, { headers: { authorization: t } })).status).toBe(404);
      expect(seen).toHaveLength(1);
    } finally {
      await prefixed.close();
    }
  });

  it("answers 503 unavailable when the service is unreachable (INTEGRATION_FAILURE)", async () => {
    const down = await startGateway({ serviceUrl: "http://127.0.0.1:1", authorizer, port: 0, host: "127.0.0.1", setting: PORT_SETTINGS.gateway });
    try {
      const res = await fetch(`${down.url}/me`, { headers: { authorization: token() } });
      expect(res.status).toBe(503);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unavailable");
    } finally {
      await down.close();
    }
  });
});
