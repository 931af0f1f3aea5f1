// AUTH_MODE=verify checks the signature too. Tokens the gateway would never pass —
// forged, alg none, unknown key, edited — are 401 even if the service is reached directly, and a
// genuine cognito-local token is 200. The service is composed exactly as server.ts composes it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseServiceConfig } from "../../service/src/config";
import { composeService, type ComposedService } from "../../service/src/runtime/start";
import { idTokenClaims, newTestKey, signJwt, testKey, TEST_CLIENT_ID, TEST_ISSUER } from "../helpers/tokens";
import { recordingLogger, startCognitoLocalWithUser, startJwksServer, type CognitoLocal, type JwksServer } from "../runtime/verify-support";

const SUB = "0e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b";
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function verifyModeService(jwksUri: string, overrides: Record<string, string> = {}) {
  const logger = recordingLogger();
  const config = parseServiceConfig({
    TABLE_NAME: "notes-unused",
    DYNAMODB_ENDPOINT: "http://127.0.0.1:9",
    COGNITO_ISSUER: TEST_ISSUER,
    COGNITO_CLIENT_ID: TEST_CLIENT_ID,
    AUTH_MODE: "verify",
    JWKS_URI: jwksUri,
    ...overrides,
  });
  const service = composeService(config, logger, { jwksRetry: { initialDelayMs: 20, maxDelayMs: 50 } });
  return { service, logger };
}

/** The reason the request log gave for the last refusal. */
function lastReason(logger: ReturnType<typeof recordingLogger>): unknown {
  return logger.entries.filter((e) => e.msg === "request").at(-1)?.obj.reason;
}

describe("verify mode against a JWKS endpoint", () => {
  let jwks: JwksServer;
  let service: ComposedService;
  let logger: ReturnType<typeof recordingLogger>;
  const me = (token: string) => service.app.request("/me", { headers: { Authorization: token } });

  beforeAll(async () => {
    jwks = await startJwksServer([testKey().publicJwk]);
    ({ service, logger } = verifyModeService(jwks.uri));
    expect(await service.jwks?.start()).toBe(true);
  });
  afterAll(async () => {
    service?.close();
    await jwks?.close();
  });

  it("loads the JWKS once at start and is ready", async () => {
    expect(jwks.hits()).toBe(1);
    expect((await service.app.request("/health")).status).toBe(200);
  });

  it("accepts a genuine token (raw and Bearer)", async () => {
    const token = signJwt(idTokenClaims(SUB), testKey());
    expect((await me(token)).status).toBe(200);
    expect((await me(`Bearer ${token}`)).status).toBe(200);
  });

  const cases: [string, () => string, string][] = [
    // Same kid, signed by a key the pool never had.
    ["forged signature", () => signJwt(idTokenClaims(SUB), { ...newTestKey(testKey().kid) }), "bad_signature"],
    // The classic bypass: no algorithm, empty signature.
    // Refused before the signature check: a header with alg none is never a Cognito token.
    ["alg none", () => `${b64({ alg: "none", typ: "JWT", kid: testKey().kid })}.${b64(idTokenClaims(SUB))}.`, "undecodable_token"],
    [
      "alg none keeping a real signature",
      () => {
        const [, body, sig] = signJwt(idTokenClaims(SUB), testKey()).split(".");
        return `${b64({ alg: "none", kid: testKey().kid })}.${body}.${sig}`;
      },
      "undecodable_token",
    ],
    // A kid that is not in the JWKS.
    ["wrong key id", () => signJwt(idTokenClaims(SUB), newTestKey("not-in-the-jwks")), "bad_signature"],
    // Signed genuinely, then the sub swapped for another user's.
    [
      "edited payload",
      () => {
        const [head, , sig] = signJwt(idTokenClaims(SUB), testKey()).split(".");
        return `${head}.${b64(idTokenClaims("someone-else-0000-4000-8000-000000000000"))}.${sig}`;
      },
      "bad_signature",
    ],
    [
      "signature of another token",
      () => {
        const [head, body] = signJwt(idTokenClaims(SUB), testKey()).split(".");
        const [, , otherSig] = signJwt(idTokenClaims("x"), testKey()).split(".");
        return `${head}.${body}.${otherSig}`;
      },
      "bad_signature",
    ],
    // Genuinely signed, but the sub is not well-formed UTF-16: stored as UTF-8, "\ud800" and
    // "\udfff" would both become U+FFFD and share one partition.
    ["signed token with a lone high surrogate sub", () => signJwt(idTokenClaims("\ud800"), testKey()), "sub_not_well_formed"],
    ["signed token with a lone low surrogate sub", () => signJwt(idTokenClaims("\udfff"), testKey()), "sub_not_well_formed"],
  ];
  it.each(cases)("%s → 401 unauthorized (%s)", async (_name, token, reason) => {
    const res = await me(token());
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "Unauthorized" } });
    expect(lastReason(logger)).toBe(reason);
  });

  it("unknown kids do not make it refetch the JWKS per request (rate-limited)", async () => {
    const before = jwks.hits();
    for (let i = 0; i < 3; i++) expect((await me(signJwt(idTokenClaims(SUB), newTestKey(`kid-${i}`)))).status).toBe(401);
    // Within the refetch interval of the start-up fetch: none at all.
    expect(jwks.hits()).toBe(before);
  });
});

describe("verify mode when the JWKS cannot be fetched at start", () => {
  it("stays up not ready (/health 503, requests 503 unavailable), logs one clear line, and becomes ready when the JWKS comes back", async () => {
    const jwks = await startJwksServer([testKey().publicJwk], false);
    const { service, logger } = verifyModeService(jwks.uri);
    try {
      expect(await service.jwks?.start()).toBe(false);
      const failure = logger.entries.find((e) => e.msg === "JWKS unavailable");
      expect(failure?.level).toBe("error");
      expect(failure?.obj).toMatchObject({ jwksUri: jwks.uri, err: expect.stringContaining("answered 503") });

      const health = await service.app.request("/health");
      expect(health.status).toBe(503);
      const token = signJwt(idTokenClaims(SUB), testKey());
      const res = await service.app.request("/me", { headers: { Authorization: token } });
      // Not the caller's fault: 503 + Retry-After, never 401 (the app would sign the user out) or 500.
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("2");
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unavailable");
      // A garbage token is still 401 at once: the claim checks need no keys.
      expect((await service.app.request("/me", { headers: { Authorization: "x.y.z" } })).status).toBe(401);

      jwks.setAvailable(true);
      const deadline = Date.now() + 3_000;
      while (!service.readiness.isReady() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect((await service.app.request("/health")).status).toBe(200);
      expect((await service.app.request("/me", { headers: { Authorization: token } })).status).toBe(200);
      expect(logger.entries.some((e) => e.msg === "JWKS loaded")).toBe(true);
    } finally {
      service.close();
      await jwks.close();
    }
  });
});

describe("verify mode with a genuine cognito-local token", () => {
  let cognito: CognitoLocal;
  beforeAll(async () => {
    cognito = await startCognitoLocalWithUser();
  }, 30_000);
  afterAll(() => cognito?.stop());

  it("verifies cognito-local's RS256 id token against its JWKS (served over http) → 200 with its sub", async () => {
    const claims = JSON.parse(Buffer.from(cognito.idToken.split(".")[1] as string, "base64url").toString()) as Record<string, string>;
    expect(claims.token_use).toBe("id");
    // cognito-local writes the issuer it believes it has; configure exactly that, and point the
    // JWKS at where it really listens.
    const { service } = verifyModeService(`${cognito.endpoint}/${cognito.poolId}/.well-known/jwks.json`, {
      COGNITO_ISSUER: claims.iss as string,
      COGNITO_CLIENT_ID: cognito.clientId,
    });
    try {
      expect(await service.jwks?.start()).toBe(true);
      const res = await service.app.request("/me", { headers: { Authorization: cognito.idToken } });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { sub: string }).sub).toBe(claims.sub);

      // The same token with its payload edited is refused.
      const [head, , sig] = cognito.idToken.split(".");
      const edited = `${head}.${b64({ ...claims, sub: "another-user" })}.${sig}`;
      expect((await service.app.request("/me", { headers: { Authorization: edited } })).status).toBe(401);
    } finally {
      service.close();
    }
  });
});
