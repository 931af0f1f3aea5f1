import { describe, expect, it } from "vitest";
import { isErrorBody } from "../../contract/errors";
import { jsonOf, silentLogger, testApp, useTestApp } from "../helpers/app";
import type { Claims, MeResponse } from "../../contract/claims";
import { ExpiringCache } from "../../service/src/auth/expiring-cache";
import type { UnauthorizedReason } from "../../service/src/auth/errors";
import { idToken, idTokenClaims, signJwt, testKey, TEST_CLIENT_ID, TEST_POOL_ID, TEST_REGION } from "../helpers/tokens";

const t = useTestApp();

const SUB = "7d8ca528-4931-4254-9273-ea5ee853f271";

describe("claims middleware: the seed's request shape", () => {
  it("accepts the raw id token as API Gateway maps it (no Bearer) and answers /me from the claims", async () => {
    const claims = idTokenClaims(SUB, { email: "ada@example.com" });
    // Exactly the seed's claim set.
    expect(Object.keys(claims).sort()).toEqual(
      ["aud", "auth_time", "cognito:username", "email", "email_verified", "event_id", "exp", "iat", "iss", "sub", "token_use"].sort(),
    );
    const res = await t.app.request("/me", { headers: { Authorization: signJwt(claims, testKey()) } });
    expect(res.status).toBe(200);
    const me = await jsonOf<MeResponse>(res);
    expect(me).toMatchObject({ sub: SUB, email: "ada@example.com", emailVerified: true, username: SUB, groups: [] });
    expect(me.tokenExpiresAt).toBe(new Date(claims.exp * 1000).toISOString());
  });

  it("accepts the same token with a Bearer prefix", async () => {
    const res = await t.app.request("/me", { headers: { Authorization: `Bearer ${idToken(SUB)}` } });
    expect(res.status).toBe(200);
    expect((await jsonOf<MeResponse>(res)).sub).toBe(SUB);
  });

  it("accepts a sub of exactly 128 characters (the bound), and it owns its notes", async () => {
    const token = idToken("s".repeat(128));
    expect((await t.app.request("/me", { headers: { Authorization: token } })).status).toBe(200);
    const created = await t.app.request("/notes", {
      method: "POST",
      headers: { Authorization: token, "Content-Type": "application/json" },
      body: '{"title":"t","body":""}',
    });
    expect(created.status).toBe(201);
  });

  it("accepts the pool's global issuer form too", async () => {
    const iss = `https://issuer.cognito-idp.${TEST_REGION}.amazonaws.com/${TEST_POOL_ID}`;
    const res = await t.app.request("/me", { headers: { Authorization: idToken(SUB, { iss }) } });
    expect(res.status).toBe(200);
  });

  it("takes identity only from the token: x-user-id and similar headers change nothing", async () => {
    const res = await t.app.request("/me", {
      headers: { Authorization: idToken(SUB), "x-user-id": "attacker", "x-amzn-oidc-identity": "attacker" },
    });
    expect((await jsonOf<MeResponse>(res)).sub).toBe(SUB);
  });
});

describe("claims middleware: every bad Authorization value is 401 with the JSON error body", () => {
  const key = testKey();
  const nowS = Math.floor(Date.now() / 1000);
  const b64 = (s: string) => Buffer.from(s).toString("base64url");
  const rawPayload = (payload: string) => `${b64('{"alg":"RS256","kid":"test-kid-1"}')}.${b64(payload)}.c2ln`;
  const cases: [string, string | undefined, UnauthorizedReason][] = [
    ["missing header", undefined, "missing_header"],
    ["empty", "", "missing_header"],
    ["blank", "   ", "missing_header"],
    ["Bearer alone", "Bearer", "malformed_header"],
    ["Bearer and space", "Bearer ", "malformed_header"],
    ["two parts", "abc.def", "malformed_header"],
    ["two tokens", `Bearer ${idToken(SUB)} ${idToken(SUB)}`, "malformed_header"],
    ["Basic auth", "Basic dXNlcjpwYXNz", "malformed_header"],
    ["garbage base64", "%%%.@@@.!!!", "malformed_header"],
    ["base64 that is not JSON", `${b64("x")}.${b64("not json")}.sig`, "undecodable_token"],
    ["Bearer glued to the token", `Bearer${idToken(SUB)}`, "undecodable_token"],
    ["header alg none", `${b64('{"alg":"none"}')}.${idToken(SUB).split(".")[1]}.`, "undecodable_token"],
    ["header not an object", `${b64("[1]")}.${idToken(SUB).split(".")[1]}.c2ln`, "undecodable_token"],
    ["payload null", rawPayload("null"), "payload_not_object"],
    ["payload 123", rawPayload("123"), "payload_not_object"],
    ["payload []", rawPayload("[]"), "payload_not_object"],
    ["payload a string", rawPayload('"sub"'), "payload_not_object"],
    ["missing sub", signJwt({ ...idTokenClaims(SUB), sub: undefined }, key), "missing_sub"],
    ["empty sub", signJwt(idTokenClaims(SUB, { sub: "" }), key), "missing_sub"],
    ["sub a number", signJwt(idTokenClaims(SUB, { sub: 42 }), key), "missing_sub"],
    // Found by properties-auth (seed 215513450): a 3 000-character sub reached DynamoDB's key limit → 400, not 401.
    ["sub over 128 characters", signJwt(idTokenClaims(SUB, { sub: "x".repeat(129) }), key), "sub_too_long"],
    ["sub of 3 000 characters", signJwt(idTokenClaims(SUB, { sub: "x".repeat(3000) }), key), "sub_too_long"],
    ["sub a lone high surrogate", signJwt(idTokenClaims(SUB, { sub: "\ud800" }), key), "sub_not_well_formed"],
    ["sub a lone low surrogate", signJwt(idTokenClaims(SUB, { sub: "\udfff" }), key), "sub_not_well_formed"],
    ["sub a UUID ending in a lone surrogate", signJwt(idTokenClaims(SUB, { sub: `${SUB}\ud800` }), key), "sub_not_well_formed"],
    ["token_use access", signJwt(idTokenClaims(SUB, { token_use: "access", aud: undefined, client_id: TEST_CLIENT_ID }), key), "wrong_token_use"],
    ["token_use missing", signJwt(idTokenClaims(SUB, { token_use: undefined }), key), "wrong_token_use"],
    ["wrong aud", signJwt(idTokenClaims(SUB, { aud: "someoneelsesclient" }), key), "wrong_audience"],
    ["aud as array", signJwt(idTokenClaims(SUB, { aud: [TEST_CLIENT_ID] }), key), "wrong_audience"],
    ["wrong iss", signJwt(idTokenClaims(SUB, { iss: "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_Other" }), key), "wrong_issuer"],
    ["iss of another region", signJwt(idTokenClaims(SUB, { iss: `https://cognito-idp.us-east-1.amazonaws.com/${TEST_POOL_ID}` }), key), "wrong_issuer"],
    ["expired", signJwt(idTokenClaims(SUB, { exp: nowS - 1 }), key), "expired"],
    ["exp missing", signJwt(idTokenClaims(SUB, { exp: undefined }), key), "missing_exp"],
    ["exp a string", signJwt(idTokenClaims(SUB, { exp: String(nowS + 3600) }), key), "missing_exp"],
    ["email a number", signJwt(idTokenClaims(SUB, { email: 5 }), key), "bad_claim_type"],
    ["groups not a list", signJwt(idTokenClaims(SUB, { "cognito:groups": "admins" }), key), "bad_claim_type"],
  ];

  it.each(cases)("%s → 401 (%s)", async (_name, header, reason) => {
    const lines: Record<string, unknown>[] = [];
    const logged = testApp(t.table, { logger: { ...silentLogger, info: (line: object) => void lines.push(line as Record<string, unknown>) } });
    const res = await logged.request("/me", { headers: header === undefined ? {} : { Authorization: header } });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const body: unknown = await res.json();
    expect(isErrorBody(body)).toBe(true);
    expect(body).toEqual({ error: { code: "unauthorized", message: "Unauthorized" } });
    // Refused by the check the case is about, not by accident; the reason only goes to the log.
    expect(lines[0]).toMatchObject({ status: 401, error: "unauthorized", reason });
  });

  it("refuses on every route of the t.table, not just /me", async () => {
    for (const [method, path] of [
      ["GET", "/notes"],
      ["POST", "/notes"],
      ["DELETE", "/notes/0190a0b0-0000-7000-8000-000000000000"],
    ] as const) {
      const res = await t.app.request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });
});

describe("claims cache", () => {
  it("re-checks exp on every hit: a cached token is refused once it expires", async () => {
    let now = Date.now();
    const clocked = testApp(t.table, { clock: { now: () => now } });
    const token = idToken(SUB);
    expect((await clocked.request("/me", { headers: { Authorization: token } })).status).toBe(200);
    expect((await clocked.request("/me", { headers: { Authorization: token } })).status).toBe(200);
    now += 3601 * 1000;
    const res = await clocked.request("/me", { headers: { Authorization: token } });
    expect(res.status).toBe(401);
  });

  it("keeps a bounded number of tokens", () => {
    const cache = new ExpiringCache<Claims>(2);
    const claims = { sub: "s", email: undefined, emailVerified: false, username: undefined, groups: [], issuedAt: 0, expiresAt: 2 ** 31 };
    cache.set("a", claims, claims.expiresAt * 1000);
    cache.set("b", claims, claims.expiresAt * 1000);
    cache.set("c", claims, claims.expiresAt * 1000);
    expect(cache.size).toBe(2);
    expect(cache.get("a", Date.now())).toBeUndefined();
    expect(cache.get("c", Date.now())).toBe(claims);
  });
});
