/** A busy port is a clear error naming the port and how to change it; a bad outputs file names the key. */
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { describe, expect, it } from "vitest";
import { parseOutputs } from "../../client/outputs";
import { PortBusyError, reservePort } from "../../local/ports";
import { PORT_SETTINGS } from "../../local/settings";

describe("ports", () => {
  it("reports a busy port with its name, env var and flag", async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, "127.0.0.1", r));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const err = await reservePort(port, PORT_SETTINGS.gateway).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PortBusyError);
      expect((err as Error).message).toBe(
        `Port ${port} (local gateway) is already in use. Stop whatever listens there, or pick another port: ` +
          "GATEWAY_PORT=<port> npm run dev, or npm run dev -- --gateway-port <port> (0 = any free port).",
      );
    } finally {
      blocker.close();
    }
  });

  it("turns 0 into a free port", async () => {
    expect(await reservePort(0, PORT_SETTINGS.service)).toBeGreaterThan(0);
  });
});

describe("outputs file", () => {
  const deployed = {
    apiUrl: "https://abc.execute-api.eu-west-1.amazonaws.com/prod",
    region: "eu-west-1",
    userPoolId: "eu-west-1_abc",
    userPoolClientId: "client",
    issuer: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc",
    tableName: "notes",
  };

  it("accepts a deployed stack's `pulumi stack output --json`", () => {
    expect(parseOutputs(deployed, "outputs.json")).toEqual(deployed);
  });

  it("names every missing key", () => {
    const { userPoolClientId: _c, tableName: _t, ...partial } = deployed;
    expect(() => parseOutputs(partial, "outputs.json")).toThrow('outputs.json: missing key "userPoolClientId"; missing key "tableName"');
  });
});
