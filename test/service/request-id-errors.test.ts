import { describe, expect, it } from "vitest";
import { authHeaders, useTestApp } from "../helpers/app";
import { idToken } from "../helpers/tokens";

const t = useTestApp();

// The request id is set before the handler runs (a hot-path choice): it must still reach
// responses built by onError and notFound, where an operator needs it most.
describe("x-request-id on error responses", () => {
  it.each([
    ["401 from the claims middleware", "/me", {}],
    ["404 from a handler", "/notes/0190a0b0-0000-7000-8000-000000000000", authHeaders(idToken("u-rid"))],
    ["404 for an unknown path", "/nope", {}],
    ["400 from validation", "/notes?limit=0", authHeaders(idToken("u-rid"))],
  ])("%s echoes the gateway's request id", async (_name, path, headers) => {
    const res = await t.app.request(path, { headers: { ...headers, "x-request-id": "gw-req-123" } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.headers.get("x-request-id")).toBe("gw-req-123");
  });
});
