import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { Socket } from "node:net";
import { TLSSocket } from "node:tls";
import { setTimeout as sleep } from "node:timers/promises";
import aws4 from "aws4";
import type { AwsCredentials, CredentialsProvider } from "./credentials";
import {
  DynamoAbortError,
  DynamoTimeoutError,
  errorFromResponse,
  isRetryable,
  markEarlierAttemptUnknown,
  mayHaveBeenApplied,
  THROTTLING_ERRORS,
} from "./errors";
import type { DynamoOperation, InputOf, OutputOf } from "./operations";

export interface DynamoTransportOptions {
  readonly region: string;
  /** An endpoint override (DynamoDB Local); default `https://dynamodb.<region>.amazonaws.com`. */
  readonly endpoint?: string;
  readonly credentials: CredentialsProvider;
  /** Attempts per call, the first included. Default 2: one retry, so a call fails fast into a 503. */
  readonly maxAttempts?: number;
  /** A new connection must be up (TLS handshake included) within this (default 1 s): a black-holed endpoint fails fast. */
  readonly connectTimeoutMs?: number;
  /** One attempt, request sent to response read, within this (default 5 s; two fit in the gateway's 29 s). */
  readonly requestTimeoutMs?: number;
  /** Keep-alive sockets to DynamoDB at most (the SDK's default, 50). */
  readonly maxSockets?: number;
  /**
   * Wraps every attempt: for tests that shape what the table sees or answers (a slow network
   * before sending, UnprocessedItems), as the SDK's middleware stack allowed. Production sets none.
   */
  readonly interceptor?: DynamoInterceptor;
}

/** One attempt as an interceptor sees it; `send` sends it (or a changed input) unless the signal has fired. */
export type DynamoInterceptor = (
  attempt: { readonly operation: DynamoOperation; readonly input: unknown; readonly attempt: number },
  send: (input?: unknown) => Promise<unknown>,
) => Promise<unknown>;

export interface DynamoCallOptions {
  /**
   * Ends the call — the attempt in flight and any retry — when it fires (e.g.
   * `AbortSignal.timeout(ms)`). The call then rejects with an `AbortError` (503 in the handlers).
   */
  readonly signal?: AbortSignal;
  /**
   * A moment after which no attempt of the call may be sent (a write's deadline,
   * service/src/deadline.ts). Its signal ends the call as `signal` does; and because a timer fires
   * late on a busy event loop, the clock is read as well, right before an attempt's bytes are
   * written — after any wait for a pooled socket or a new connection. Once it has passed, the
   * call rejects with an `AbortError` and nothing more is sent.
   */
  readonly deadline?: CallDeadline;
}

/** What the transport needs of a deadline (service/src/deadline.ts's `Deadline` is one). */
export interface CallDeadline {
  /** True once the deadline has passed, by the clock (not by a timer). */
  readonly expired: boolean;
  /** A signal that fires at the deadline; throws (nothing is sent) when it has passed already. */
  signal(): AbortSignal;
}

const API_VERSION = "DynamoDB_20120810";
const JSON_1_0 = "application/x-amz-json-1.0";
/** The SDK's standard retry delays: full jitter over 2 × base, a longer base when throttled. */
const RETRY_BASE_MS = 100;
const THROTTLED_RETRY_BASE_MS = 500;

/**
 * DynamoDB's JSON protocol over node:http(s) keep-alive, signed with SigV4 (`aws4`), credentials
 * from the SDK's provider chain, items (un)marshalled by the caller with `@aws-sdk/util-dynamodb`.
 *
 * Why not the SDK client: on the notes path it cost ~4× the CPU of exactly this per call (the
 * middleware stack, @smithy/core's schema serde, its signer's async byte-array hashing — see
 * docs/performance.md), and that CPU is what caps a 0.25 vCPU task. `@aws-lite/dynamodb` (~2×)
 * cannot serve an ECS task: its container-credentials path requires
 * `AWS_CONTAINER_AUTHORIZATION_TOKEN`, which ECS task roles do not set, and it reads credentials
 * once, never refreshing them. What is left here is what no package does for us: one retry with
 * the SDK's backoff, the connect/request timeouts and a per-call AbortSignal and deadline.
 */
export class DynamoTransport {
  private readonly credentials: CredentialsProvider;
  private readonly region: string;
  private readonly hostname: string;
  private readonly port: number | undefined;
  private readonly request: typeof httpRequest;
  private readonly agent: HttpAgent;
  private readonly maxAttempts: number;
  private readonly connectTimeoutMs: number;
  private readonly requestTimeoutMs: number;
  private readonly interceptor: DynamoInterceptor | undefined;

  constructor(options: DynamoTransportOptions) {
    const suffix = options.region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com";
    const url = new URL(options.endpoint ?? `https://dynamodb.${options.region}.${suffix}`);
    const https = url.protocol === "https:";
    this.credentials = options.credentials;
    this.region = options.region;
    this.hostname = url.hostname;
    this.port = url.port === "" ? undefined : Number(url.port);
    this.request = https ? httpsRequest : httpRequest;
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 50 };
    this.agent = https ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.maxAttempts = options.maxAttempts ?? 2;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 1_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5_000;
    this.interceptor = options.interceptor;
  }

  /**
   * One DynamoDB operation, e.g. `send("Query", {...})`, retried once when the SDK would retry it.
   * When it fails after an attempt whose outcome is unknown (5xx, timeout, cut-off answer) was
   * retried, its error says so: `earlierAttemptMayHaveApplied(err)` (dynamo/errors.ts).
   */
  async send<Op extends DynamoOperation>(operation: Op, input: InputOf<Op>, options: DynamoCallOptions = {}): Promise<OutputOf<Op>> {
    const { deadline } = options;
    const signal = deadline ? anyOf(options.signal, deadline.signal()) : options.signal;
    const target = `${API_VERSION}.${operation}`;
    const body = JSON.stringify(input);
    let earlierUnknown = false;
    const final = (err: unknown): unknown => (earlierUnknown ? markEarlierAttemptUnknown(err) : err);
    for (let attempt = 1; ; attempt++) {
      const credentials = await this.credentials();
      // Checked after the awaits, right before sending: once the signal has fired, nothing is sent
      // (and the deadline is checked again in `attempt`, when the bytes are about to be written).
      const send = (changed?: unknown): Promise<unknown> => {
        if (signal?.aborted) return Promise.reject(aborted(signal));
        if (deadline?.expired) return Promise.reject(deadlinePassed());
        return this.attempt(target, changed === undefined ? body : JSON.stringify(changed), credentials, signal, deadline);
      };
      try {
        const output = this.interceptor ? this.interceptor({ operation, input, attempt }, send) : send();
        return (await output) as OutputOf<Op>;
      } catch (err) {
        if (attempt >= this.maxAttempts || signal?.aborted || deadline?.expired || !isRetryable(err)) throw final(err);
        if (mayHaveBeenApplied(err)) earlierUnknown = true;
        const base = THROTTLING_ERRORS.has((err as Error).name) ? THROTTLED_RETRY_BASE_MS : RETRY_BASE_MS;
        try {
          await sleep(Math.floor(Math.random() * 2 ** attempt * base), undefined, { signal });
        } catch {
          throw final(aborted(signal));
        }
      }
    }
  }

  /** Close the pooled connections (at shutdown). */
  destroy(): void {
    this.agent.destroy();
  }

  private attempt(
    target: string,
    body: string,
    credentials: AwsCredentials,
    signal: AbortSignal | undefined,
    deadline: CallDeadline | undefined,
  ): Promise<unknown> {
    const signed = aws4.sign(
      {
        hostname: this.hostname,
        port: this.port,
        method: "POST",
        path: "/",
        service: "dynamodb",
        region: this.region,
        headers: { "Content-Type": JSON_1_0, "X-Amz-Target": target },
        body,
      },
      credentials,
    );
    return new Promise((resolve, reject) => {
      let settled = false;
      let connectTimer: NodeJS.Timeout | undefined;
      const requestTimer = setTimeout(() => fail(new DynamoTimeoutError(`DynamoDB did not answer within ${this.requestTimeoutMs} ms`)), this.requestTimeoutMs);
      const req: ClientRequest = this.request({ ...signed, agent: this.agent });
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        clearTimeout(requestTimer);
        clearTimeout(connectTimer);
        signal?.removeEventListener("abort", onAbort);
        return true;
      };
      const fail = (err: unknown): void => {
        if (!settle()) return;
        req.destroy();
        reject(err);
      };
      const onAbort = (): void => fail(aborted(signal));
      signal?.addEventListener("abort", onAbort, { once: true });
      // Nothing is written until the request has a usable connection (a pooled one, or a new one
      // once connected — for TLS, once the handshake is done): the deadline is read then, last.
      const write = (): void => {
        if (settled) return;
        if (deadline?.expired) {
          fail(deadlinePassed());
          return;
        }
        req.end(body);
      };
      req.on("socket", (socket: Socket) => {
        if (!socket.connecting) return write(); // a pooled keep-alive connection
        connectTimer = setTimeout(() => fail(new DynamoTimeoutError(`No connection to DynamoDB within ${this.connectTimeoutMs} ms`)), this.connectTimeoutMs);
        socket.once(socket instanceof TLSSocket ? "secureConnect" : "connect", () => {
          clearTimeout(connectTimer);
          write();
        });
      });
      req.on("error", fail);
      req.on("response", (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", fail);
        // The connection dropped mid-body: like a reset, worth the retry.
        res.on("close", () => {
          if (!res.complete) fail(Object.assign(new Error("DynamoDB response cut off"), { code: "ECONNRESET" }));
        });
        res.on("end", () => {
          if (!settle()) return;
          const text = chunks.length === 1 ? (chunks[0] as Buffer).toString("utf8") : Buffer.concat(chunks).toString("utf8");
          const requestId = res.headers["x-amzn-requestid"];
          if (res.statusCode !== 200) {
            reject(errorFromResponse(res.statusCode ?? 0, text, typeof requestId === "string" ? requestId : undefined));
            return;
          }
          try {
            resolve(JSON.parse(text));
          } catch (err) {
            reject(err);
          }
        });
      });
    });
  }
}

/** Both signals, or the one given. */
function anyOf(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  return a ? AbortSignal.any([a, b]) : b;
}

function deadlinePassed(): DynamoAbortError {
  return new DynamoAbortError("DynamoDB call aborted: its deadline passed before the attempt was sent");
}

function aborted(signal: AbortSignal | undefined): DynamoAbortError {
  const reason: unknown = signal?.reason;
  return new DynamoAbortError(`DynamoDB call aborted${reason instanceof Error ? `: ${reason.message}` : ""}`, { cause: reason });
}
