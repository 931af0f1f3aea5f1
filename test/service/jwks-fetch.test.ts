import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fetchJwksOverHttp } from "../../service/src/auth/signature";

let server: Server;
let base: string;
const bodies: Record<string, [number, string]> = {
  "/ok": [200, '{"keys":[{"kid":"k1","kty":"RSA"}]}'],
  "/503": [503, "busy"],
  "/html": [200, "<html>"],
  "/nokeys": [200, '{"x":1}'],
};

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/slow") return; // never answers
    const [status, body] = bodies[req.url ?? ""] ?? [404, ""];
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

describe("fetchJwksOverHttp", () => {
  it("returns the key set", async () => {
    expect(await fetchJwksOverHttp(`${base}/ok`, 1000)).toEqual({ keys: [{ kid: "k1", kty: "RSA" }] });
  });

  it.each([
    ["a non-200 status", "/503", /answered 503/],
    ["a body that is not JSON", "/html", /not JSON/],
    ["JSON without keys", "/nokeys", /no "keys" array/],
    ["no answer within the timeout", "/slow", /timed out after 200 ms/],
  ])("fails with a reason for %s", async (_name, path, reason) => {
    await expect(fetchJwksOverHttp(`${base}${path}`, 200)).rejects.toThrow(reason);
  });

  it("names the network error (connection refused) and refuses other protocols", async () => {
    await expect(fetchJwksOverHttp("http://127.0.0.1:9/.well-known/jwks.json", 1000)).rejects.toThrow(/ECONNREFUSED/);
    await expect(fetchJwksOverHttp("ftp://example.com/jwks.json", 1000)).rejects.toThrow(/unsupported protocol/);
  });
});
