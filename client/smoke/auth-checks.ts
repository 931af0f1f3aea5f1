/** The authorizer contract: what must be 401 at the gateway, what must pass, what is not a route. */
import { gatewayMessages } from "../../contract/gateway-responses";
import type { MeResponse } from "../../contract/claims";
import { decodeHeader } from "../jwt";
import type { Check, CheckPass } from "./context";
import { expectError, expectStatus, expectThat, objectBody } from "./expect";
import { cognitoLocalKey, COGNITO_LOCAL_KID, expiredClaims, freshRsaKey, resignWith, tamperPayload, unsignedToken } from "./forge";

const UNAUTHORIZED = gatewayMessages.unauthorized;

const refused = (name: string, token: (ctx: Parameters<Check["run"]>[0]) => string | undefined, message: string = UNAUTHORIZED): Check => ({
  name,
  run: async (ctx) => {
    const authorization = token(ctx);
    return expectError(await ctx.request("GET", "/me", authorization === undefined ? {} : { authorization }), 401, "unauthorized", message);
  },
});

/** Correctly signed by cognito-local's key but wrong in one claim: only provable locally. */
const localOnly = (name: string, changes: (ctx: Parameters<Check["run"]>[0]) => Record<string, unknown>): Check => ({
  name,
  run: async (ctx): Promise<CheckPass | string> => {
    const key = ctx.local ? cognitoLocalKey() : undefined;
    if (!key) return { detail: "not run", note: "needs cognito-local's signing key: local stack only", skipped: true };
    const token = resignWith(ctx.a.tokens.idToken, key, COGNITO_LOCAL_KID, changes(ctx));
    return expectError(await ctx.request("GET", "/me", { authorization: token }), 401, "unauthorized", UNAUTHORIZED);
  },
});

const expired: Check = {
  name: "expired id token → 401 (expired)",
  run: async (ctx): Promise<CheckPass | string> => {
    if (ctx.expiredToken) {
      return expectError(await ctx.request("GET", "/me", { authorization: ctx.expiredToken }), 401, "unauthorized", gatewayMessages.expired);
    }
    const key = ctx.local ? cognitoLocalKey() : undefined;
    if (key) {
      // Correctly signed by the pool's key, only `exp` in the past: the authorizer's expiry check.
      const token = resignWith(ctx.a.tokens.idToken, key, COGNITO_LOCAL_KID, expiredClaims());
      return expectError(await ctx.request("GET", "/me", { authorization: token }), 401, "unauthorized", gatewayMessages.expired);
    }
    // Deployed, no expired token at hand: an edited `exp` is refused, but by the signature check.
    const token = tamperPayload(ctx.a.tokens.idToken, expiredClaims());
    const detail = expectError(await ctx.request("GET", "/me", { authorization: token }), 401, "unauthorized");
    return {
      detail,
      note: "exp edited, so the signature fails first: true expiry is proven only locally or with --expired-token <jwt>",
      skipped: true,
    };
  },
};

async function meOf(ctx: Parameters<Check["run"]>[0], authorization: string, headers: Record<string, string> = {}): Promise<MeResponse> {
  const res = await ctx.request("GET", "/me", { authorization, headers });
  expectStatus(res, 200, "GET /me");
  return objectBody<MeResponse>(res);
}

export const authChecks: readonly Check[] = [
  refused("no Authorization header → 401", () => undefined),
  refused("garbage token → 401", () => "not-a-jwt"),
  refused("Bearer garbage → 401", () => "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln"),
  refused("unsigned token (alg none) → 401", (ctx) => unsignedToken(ctx.a.tokens.idToken)),
  refused("access token → 401 (only id tokens pass)", (ctx) => ctx.a.tokens.accessToken),
  refused("tampered payload (sub = user B), signature kept → 401", (ctx) => tamperPayload(ctx.a.tokens.idToken, { sub: ctx.b.sub })),
  refused("same claims and kid, signed by another RSA key → 401", (ctx) => {
    const kid = decodeHeader(ctx.a.tokens.idToken).kid ?? COGNITO_LOCAL_KID;
    return resignWith(ctx.a.tokens.idToken, freshRsaKey(), kid);
  }),
  expired,
  localOnly("pool-signed id token for another app client (aud) → 401", () => ({ aud: "someotherclientid" })),
  localOnly("pool-signed id token from another issuer → 401", (ctx) => ({ iss: `${ctx.outputs.issuer}x` })),
  {
    name: "id token → 200 /me with the user's own sub",
    run: async (ctx) => {
      const me = await meOf(ctx, ctx.a.tokens.idToken);
      expectThat(me.sub === ctx.a.sub, `expected sub ${ctx.a.sub}, got ${me.sub}`);
      expectThat(me.email === ctx.a.email, `expected email ${ctx.a.email}, got ${String(me.email)}`);
      return `200 sub ${me.sub}`;
    },
  },
  {
    name: "Bearer <id token> → 200, user B sees B",
    run: async (ctx) => {
      const me = await meOf(ctx, `Bearer ${ctx.b.tokens.idToken}`);
      expectThat(me.sub === ctx.b.sub, `expected sub ${ctx.b.sub}, got ${me.sub}`);
      return `200 sub ${me.sub}`;
    },
  },
  {
    name: "identity headers from the client are ignored (x-user-id etc. = B)",
    run: async (ctx) => {
      const spoof = { "x-user-id": ctx.b.sub, "x-amzn-oidc-identity": ctx.b.sub, "x-sub": ctx.b.sub };
      const me = await meOf(ctx, ctx.a.tokens.idToken, spoof);
      expectThat(me.sub === ctx.a.sub, `spoofed headers changed the identity to ${me.sub}`);
      return `200 sub ${me.sub} (still A)`;
    },
  },
  {
    name: "unknown path → refused at the gateway (MISSING_AUTHENTICATION_TOKEN)",
    run: async (ctx) =>
      expectError(await ctx.request("GET", "/nope", { authorization: ctx.a.tokens.idToken }), 404, "not_found", gatewayMessages.missingAuthenticationToken),
  },
  {
    name: "known path, unknown method (PATCH /me) → refused at the gateway",
    run: async (ctx) =>
      expectError(await ctx.request("PATCH", "/me", { authorization: ctx.a.tokens.idToken }), 404, "not_found", gatewayMessages.missingAuthenticationToken),
  },
];
