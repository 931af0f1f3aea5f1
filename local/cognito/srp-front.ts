/**
 * The local stack's user-pool endpoint: a small HTTP server before cognito-local that answers
 * USER_SRP_AUTH (which cognito-local lacks) and passes every other call through unchanged.
 * - InitiateAuth with AuthFlow USER_SRP_AUTH, RespondToAuthChallenge with PASSWORD_VERIFIER: srp-auth.ts.
 * - InitiateAuth with USER_PASSWORD_AUTH: refused as Cognito refuses it when the app client does not
 *   allow it (cognito-local ignores ExplicitAuthFlows), otherwise passed through.
 * - Everything else, JWKS and the admin calls included: proxied to cognito-local as it came.
 * It binds its own port (0 = any) before cognito-local starts, so cognito-local's issuer can name it;
 * cognito-local's endpoint is set once it runs (`setUpstream`).
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { LOCAL_HOST, portError, type PortSetting } from "../ports";
import { CognitoLocalStore, callCognitoLocal, type CognitoAnswer } from "./local-store";
import { cognitoError, flowNotEnabled, INCORRECT_CREDENTIALS, SrpAuth } from "./srp-auth";

export interface SrpFrontOptions {
  /** 0 = any free port (bound by the front itself). */
  readonly port: number;
  readonly host?: string;
  readonly setting: PortSetting;
  /** cognito-local's working directory (its state files). */
  readonly cognitoDir: string;
  /** Clock (tests move it). Default Date.now. */
  readonly now?: () => number;
}

export interface SrpFront {
  readonly port: number;
  /** The user-pool endpoint for SDKs and apps, e.g. http://127.0.0.1:9229 */
  readonly endpoint: string;
  /** cognito-local's own endpoint, once it runs. */
  setUpstream(endpoint: string): void;
  /** Open PASSWORD_VERIFIER challenges. */
  readonly openChallenges: () => number;
  close(): Promise<void>;
}

const TARGET_PREFIX = "AWSCognitoIdentityProviderService.";
/** Cognito's API bodies are small; anything bigger is not a call worth parsing. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The body; "too big" past the limit; "gone" when the caller went away before sending all of it. */
function readBody(req: IncomingMessage): Promise<Buffer | "too big" | "gone"> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve("too big");
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    // A caller that disconnects mid-body: nothing to answer (a resolved promise is not resolved again).
    req.on("close", () => resolve("gone"));
    req.on("error", () => resolve("gone"));
  });
}

function send(res: ServerResponse, answer: CognitoAnswer): void {
  const body = JSON.stringify(answer.body);
  const type = answer.status >= 400 ? String((answer.body as { __type?: unknown }).__type ?? "") : "";
  res.writeHead(answer.status, {
    "content-type": "application/x-amz-json-1.1",
    "content-length": Buffer.byteLength(body),
    ...(type ? { "x-amzn-errortype": type } : {}),
  });
  res.end(body);
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * cognito-local answers a wrong password with NotAuthorizedException "User not authorized" (or
 * InvalidPasswordException) and an unknown user with UserNotFoundException; Cognito, with user-existence errors prevented (as the deployed app
 * client), answers both as the SRP flow does: NotAuthorizedException "Incorrect username or
 * password.". Everything else of the password flow passes as it came.
 */
function asCognitoAnswersPasswordSignIn(answer: CognitoAnswer): CognitoAnswer {
  const { __type: type, message } = (answer.body ?? {}) as { __type?: unknown; message?: unknown };
  const wrongCredentials =
    type === "InvalidPasswordException" || type === "UserNotFoundException" || (type === "NotAuthorizedException" && message === COGNITO_LOCAL_NOT_AUTHORIZED);
  return wrongCredentials ? cognitoError("NotAuthorizedException", INCORRECT_CREDENTIALS) : answer;
}

/** cognito-local's message for a wrong password in USER_PASSWORD_AUTH (its NotAuthorizedError's default). */
const COGNITO_LOCAL_NOT_AUTHORIZED = "User not authorized";

/** The call as it came, to cognito-local, and its answer as it came back. */
function proxy(upstream: string, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const target = new URL(req.url ?? "/", upstream);
  const headers = { ...req.headers, host: target.host, "content-length": String(body.length) };
  delete headers["transfer-encoding"];
  const out = httpRequest(target, { method: req.method, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(res);
  });
  out.on("error", () => {
    if (!res.headersSent) send(res, { status: 503, body: { __type: "ServiceUnavailableException", message: "cognito-local is not answering" } });
    else res.destroy();
  });
  out.end(body);
}

export async function startSrpFront(options: SrpFrontOptions): Promise<SrpFront> {
  let upstream: string | undefined;
  const upstreamOrThrow = (): string => {
    if (!upstream) throw new Error("cognito-local is not running yet");
    return upstream;
  };
  const store = new CognitoLocalStore(options.cognitoDir);
  const auth = new SrpAuth({ store, upstream: upstreamOrThrow, now: options.now ?? Date.now });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (body === "gone") return void res.destroy();
    if (body === "too big")
      return send(res, { status: 413, body: { __type: "InvalidParameterException", message: `request body over ${MAX_BODY_BYTES} bytes` } });
    if (!upstream) return send(res, { status: 503, body: { __type: "ServiceUnavailableException", message: "cognito-local is not running yet" } });
    const target = String(req.headers["x-amz-target"] ?? "");
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : "";
    const call = req.method === "POST" && (operation === "InitiateAuth" || operation === "RespondToAuthChallenge") ? parseJson(body) : undefined;
    if (call && operation === "InitiateAuth" && call["AuthFlow"] === "USER_SRP_AUTH") return send(res, await auth.initiate(call));
    if (call && operation === "RespondToAuthChallenge" && call["ChallengeName"] === "PASSWORD_VERIFIER") return send(res, await auth.respond(call));
    if (call && operation === "InitiateAuth" && call["AuthFlow"] === "USER_PASSWORD_AUTH" && typeof call["ClientId"] === "string") {
      const client = await store.appClient(call["ClientId"]);
      if (client && !client.explicitAuthFlows.includes("ALLOW_USER_PASSWORD_AUTH")) return send(res, flowNotEnabled("USER_PASSWORD_AUTH"));
      return send(res, asCognitoAnswersPasswordSignIn(await callCognitoLocal(upstream, operation, call)));
    }
    proxy(upstream, req, body, res);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      const failure = cognitoError("InternalErrorException", `SRP front: ${err instanceof Error ? err.message : String(err)}`);
      send(res, { ...failure, status: 500 });
    });
  });
  const host = options.host ?? LOCAL_HOST;
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err) => reject(portError(err, options.port, options.setting)));
    server.listen({ port: options.port, host, exclusive: true }, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    endpoint: `http://${host}:${port}`,
    setUpstream: (endpoint) => {
      upstream = endpoint;
    },
    openChallenges: () => auth.openChallenges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
