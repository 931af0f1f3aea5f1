/**
 * `exp` and `iat` are bounded to what Cognito can issue. A token whose
 * `exp` was 2^53−1 (found by test/hardening/properties-auth.test.ts, fast-check seed -2073161790)
 * passed the claim checks and made `GET /me` a 500 (RangeError in toISOString). Now every time
 * outside the range is 401 with its own reason, in decode and in verify mode, and the edges of the
 * accepted range are 200 with the token's times on /me.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { MeResponse } from "../../contract/claims";
import { MAX_ID_TOKEN_LIFETIME_SECONDS as DAY, TOKEN_CLOCK_SKEW_SECONDS as SKEW } from "../../contract/token-times";
import type { UnauthorizedReason } from "../../service/src/auth/errors";
import { loadedTestVerifier, silentLogger, testApp, useTestApp, type TestApp } from "../helpers/app";
import { idTokenClaims, signJwt, testKey } from "../helpers/tokens";

const SUB = "3b9f0c2e-17a1-4d5e-9f00-000000000017";
/**
 * The service's clock, a minute ahead of the real one: in verify mode aws-jwt-verify checks `exp`
 * against the real clock, so an `exp` one second after NOW stays valid for it while the test runs.
 */
const NOW = Math.floor(Date.now() / 1000) + 60;

const t = useTestApp();
const modes: Record<"decode" | "verify", { app?: TestApp; lines: Record<string, unknown>[] }> = {
  decode: { lines: [] },
  verify: { lines: [] },
};

beforeAll(async () => {
  const signature = await loadedTestVerifier();
  for (const [mode, state] of Object.entries(modes)) {
    state.app = testApp(t.table, {
      clock: { now: () => NOW * 1000 },
      signature: mode === "verify" ? signature : null,
      logger: { ...silentLogger, info: (line: object) => void state.lines.push(line as Record<string, unknown>) },
    });
  }
});

/** A genuinely signed token (verify mode would pass it) with these times. */
const token = (times: Record<string, unknown>): string => signJwt(idTokenClaims(SUB, times, NOW), testKey());

const refused: [string, UnauthorizedReason, Record<string, unknown>][] = [
  // The fast-check counterexample: a finite, future exp that no Date can hold.
  ["exp 2^53−1 (fast-check seed -2073161790)", "exp_out_of_range", { exp: Number.MAX_SAFE_INTEGER }],
  ["exp 1e308", "exp_out_of_range", { exp: 1e308 }],
  ["exp one second past the range (iat at the skew edge, a day's lifetime + 1 s)", "exp_out_of_range", { iat: NOW + SKEW, exp: NOW + SKEW + DAY + 1 }],
  ["exp equal to now", "expired", { exp: NOW }],
  ["iat 2^53−1", "iat_out_of_range", { iat: Number.MAX_SAFE_INTEGER }],
  ["iat −1e308", "iat_out_of_range", { iat: -1e308 }],
  ["iat one second beyond the skew", "iat_out_of_range", { iat: NOW + SKEW + 1 }],
  ["iat after exp", "iat_out_of_range", { iat: NOW + 200, exp: NOW + 100 }],
  ["a lifetime of a day + 1 s", "iat_out_of_range", { iat: NOW - 1, exp: NOW + DAY }],
  ["iat missing", "missing_iat", { iat: undefined }],
  ["iat a string", "missing_iat", { iat: String(NOW) }],
];

const accepted: [string, { iat: number; exp: number }][] = [
  ["exp one second from now", { iat: NOW - 3599, exp: NOW + 1 }],
  ["exp at the far edge (iat at the skew edge, a day's lifetime)", { iat: NOW + SKEW, exp: NOW + SKEW + DAY }],
  ["iat at the skew edge", { iat: NOW + SKEW, exp: NOW + 3600 }],
  ["a lifetime of exactly a day", { iat: NOW - 1000, exp: NOW - 1000 + DAY }],
  ["iat equal to exp", { iat: NOW + 10, exp: NOW + 10 }],
];

describe.each(["decode", "verify"] as const)("token times in %s mode", (mode) => {
  it.each(refused)("%s → 401 (%s)", async (_name, reason, times) => {
    const state = modes[mode];
    const res = await state.app!.request("/me", { headers: { Authorization: token(times) } });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { code: "unauthorized", message: "Unauthorized" } });
    expect(state.lines.at(-1)).toMatchObject({ status: 401, error: "unauthorized", reason });
  });

  it.each(accepted)("%s → 200 with the token's times", async (_name, times) => {
    const res = await modes[mode].app!.request("/me", { headers: { Authorization: token(times) } });
    expect(res.status).toBe(200);
    const me = (await res.json()) as MeResponse;
    expect(me).toMatchObject({
      sub: SUB,
      tokenIssuedAt: new Date(times.iat * 1000).toISOString(),
      tokenExpiresAt: new Date(times.exp * 1000).toISOString(),
    });
  });
});
