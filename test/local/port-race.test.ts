/**
 * The local stack's port race, forced deterministically. Before, every port 0 was probed (listen,
 * read the port, close) and bound later by its part; another process could take it in between (a
 * listen in another test fork, or an outgoing connection's ephemeral source port), and the health
 * poll could then take that process's 200 for our child's. Here a hook takes a probed port right
 * after the probe, with an impostor that answers 200 to anything.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { apiRequest } from "../../client/api";
import { login } from "../../client/cognito-auth";
import { decodePayload } from "../../client/jwt";
import { loadOutputs } from "../../client/outputs";
import { startCognitoLocal } from "../../local/cognito/process";
import { startDynamoDbLocal } from "../../local/dynamodb/process";
import { LOCAL_HOST, PortBusyError, reservePort } from "../../local/ports";
import { PORT_SETTINGS, type StackPorts } from "../../local/settings";
import { startLocalStack, type LocalStackOptions } from "../../local/stack";
import { testDynamoEndpoint } from "../helpers/dynamodb";
import { listeningPorts } from "../../local/dynamodb/listening-socket";
import { descendants, isRunning } from "../helpers/process-tree";

const ANY_PORTS: StackPorts = { gateway: 0, cognito: 0, service: 0, dynamodb: 0 };

/** Another process's server on `port`: 200 to every request, counting them. */
class Impostor {
  requests = 0;
  private constructor(readonly server: Server) {}
  static async on(port: number): Promise<Impostor> {
    let impostor: Impostor | undefined;
    const server = createServer((_req, res) => {
      if (impostor) impostor.requests++;
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok","impostor":true}');
    });
    impostor = new Impostor(server);
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, LOCAL_HOST, resolve);
    });
    return impostor;
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const impostors: Impostor[] = [];
const dirs: string[] = [];
const cleanups: Array<() => Promise<unknown>> = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "uaa-port-race-"));
  dirs.push(dir);
  return dir;
}

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  for (const impostor of impostors.splice(0)) await impostor.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function options(dataDir: string, extra: Partial<LocalStackOptions>): LocalStackOptions {
  // The test run's DynamoDB Local: DynamoDB Local's own port race has its test below.
  return { dataDir, ports: ANY_PORTS, persistData: false, logLevel: "warn", dynamoEndpoint: testDynamoEndpoint(), ...extra };
}

const portOf = (url: string | undefined): number => Number(new URL(url ?? "").port);

describe("port race", () => {
  it("ports 0, the probed port taken right after the probe: the stack starts, on ports its own processes hold, and never asks the impostor", async () => {
    const probes: Array<{ part: keyof StackPorts; port: number }> = [];
    const stack = await startLocalStack(
      options(tempDir(), {
        afterPortProbe: async (part, port) => {
          probes.push({ part, port });
          if (probes.length === 1) impostors.push(await Impostor.on(port));
        },
      }),
    );
    cleanups.push(() => stack.stop());

    // Only cognito-local (which must know its port up front) probed: the service, the gateway and
    // the user-pool endpoint before cognito-local (the SRP front, whose port is the stack's cognito
    // port) bound 0 themselves (DynamoDB Local is the test run's). cognito-local lost the race and
    // started on a fresh port.
    expect(probes.map((p) => p.part)).toEqual(["cognito", "cognito"]);
    expect(probes[1]?.port).not.toBe(probes[0]?.port);
    // Every reported port is held by the stack's own processes: the children and this process.
    expect(listeningPorts([stack.pids.cognito])).toContain(probes[1]?.port);
    expect(listeningPorts([stack.pids.service])).toContain(stack.ports.service);
    expect(listeningPorts([process.pid])).toEqual(expect.arrayContaining([stack.ports.gateway, stack.ports.cognito]));
    // Nobody took the impostors' answers for ours.
    expect(impostors.map((i) => i.requests)).toEqual([0]);

    // The outputs say the same ports, and the request path works through them (tokens from our
    // cognito-local, whose issuer names the user-pool endpoint's port).
    const outputs = loadOutputs(stack.outputsFile);
    expect([portOf(outputs.apiUrl), portOf(outputs.cognitoEndpoint), portOf(outputs.serviceUrl)]).toEqual([
      stack.ports.gateway,
      stack.ports.cognito,
      stack.ports.service,
    ]);
    expect(outputs.issuer).toBe(`http://localhost:${stack.ports.cognito}/${outputs.userPoolId}`);
    const { idToken } = await login(outputs, stack.demoUser.email, stack.demoUser.password);
    expect(decodePayload(idToken).iss).toBe(outputs.issuer);
    const me = await apiRequest(outputs.apiUrl, "GET", "/me", { authorization: idToken });
    expect(me.status).toBe(200);
    expect((me.body as { sub: string }).sub).toBe(decodePayload(idToken).sub);
  }, 60_000);

  it("DynamoDB Local's probed port taken right after the probe: it starts on a fresh port that its own JVM holds, and never asks the impostor", async () => {
    const dir = tempDir();
    const taken: number[] = [];
    const dynamo = await startDynamoDbLocal({
      port: 0,
      setting: PORT_SETTINGS.dynamodb,
      dbPath: undefined,
      logDir: dir,
      afterPortProbe: async (port) => {
        taken.push(port);
        if (taken.length === 1) impostors.push(await Impostor.on(port));
      },
    });
    cleanups.push(() => dynamo.child.stop());
    expect(taken).toHaveLength(2);
    expect(dynamo.port).toBe(taken[1]);
    // The JVM lost the first bind (its log says so), and the impostor was never asked.
    expect(readFileSync(join(dir, "dynamodb-local.log"), "utf8")).toMatch(/BindException|Address already in use/);
    expect(impostors.map((i) => i.requests)).toEqual([0]);
    expect(listeningPorts(descendants(dynamo.child.pid))).toContain(dynamo.port);
  }, 60_000);

  it("cognito-local retries a bounded number of times: it gives up after the last lost race, saying so, and leaves nothing running", async () => {
    // Two attempts (the stack's default is COGNITO_PORT_ATTEMPTS) keep it short: each is a cognito-local start.
    const attempts = 2;
    const dir = tempDir();
    const taken: number[] = [];
    const err = await startCognitoLocal({
      dir,
      port: 0,
      setting: PORT_SETTINGS.cognito,
      logDir: join(dir, "logs"),
      portAttempts: attempts,
      afterPortProbe: async (port) => {
        taken.push(port);
        impostors.push(await Impostor.on(port));
      },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toBe(`cognito-local: ${attempts} free ports in a row were taken by other processes before it could bind them`);
    expect(((err as Error).cause as Error).message).toMatch(/EADDRINUSE/);
    expect(taken).toHaveLength(attempts);
    expect(impostors.map((i) => i.requests)).toEqual([0, 0]);
    expect(descendants(process.pid).filter(isRunning)).toEqual([]);
  }, 60_000);

  it("an explicitly requested busy port fails before anything starts, naming the port and both fixes", async () => {
    const blocker = await Impostor.on(0);
    impostors.push(blocker);
    const port = (blocker.server.address() as { port: number }).port;
    const dataDir = tempDir();
    const err = await startLocalStack(options(dataDir, { ports: { ...ANY_PORTS, gateway: port } })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PortBusyError);
    expect((err as Error).message).toBe(
      `Port ${port} (local gateway) is already in use. Stop whatever listens there, or pick another port: ` +
        "GATEWAY_PORT=<port> npm run dev, or npm run dev -- --gateway-port <port> (0 = any free port).",
    );
    // Nothing started: no child wrote a log.
    expect(existsSync(join(dataDir, "logs", "cognito-local.log"))).toBe(false);
    expect(existsSync(join(dataDir, "logs", "service.log"))).toBe(false);
  });

  it.each(["cognito", "service"] as const)(
    "an explicitly requested %s port taken after the early check: the same PortBusyError from its own bind, and nothing left running",
    async (part) => {
      const dataDir = tempDir();
      // A port that was free a moment ago: the kind a user picks.
      const requested = await reservePort(0, PORT_SETTINGS[part]);
      const err = await startLocalStack(
        options(dataDir, {
          ports: { ...ANY_PORTS, [part]: requested },
          afterPortProbe: async (probed, port) => {
            if (probed === part) impostors.push(await Impostor.on(port));
          },
        }),
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(PortBusyError);
      expect((err as PortBusyError).port).toBe(requested);
      expect((err as PortBusyError).setting).toBe(PORT_SETTINGS[part]);
      // The service child lost the bind (its log says so) and was not taken for ready; the cognito
      // port is the user-pool endpoint's, bound in this process, before cognito-local starts.
      if (part === "service") expect(readFileSync(join(dataDir, "logs", "service.log"), "utf8")).toMatch(/EADDRINUSE/);
      else expect(existsSync(join(dataDir, "logs", "cognito-local.log"))).toBe(false);
      expect(impostors.map((i) => i.requests)).toEqual([0]);
      // Whatever had started was stopped: no child left, no port of the stack held here.
      expect(descendants(process.pid).filter(isRunning)).toEqual([]);
      expect(listeningPorts([process.pid])).toEqual([requested]);
    },
    60_000,
  );
});
