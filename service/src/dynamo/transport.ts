import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import { setTimeout as sleep } from "node:timers/promises";
import aws4 from "aws4";
import type { AwsCredentials, CredentialsProvider } from "./credentials";
import { DynamoAbortError, DynamoTimeoutError, errorFromResponse, isRetryable, THROTTLING_ERRORS } from "./errors";
import type { DynamoOperation, InputOf, OutputOf } from "./operations";

export interface DynamoTransportOptions {
  readonly region: string;
  /** An endpoint override (dynalite); default `https://dynamodb.<region>.amazonaws.com`. */
  readonly endpoint?: string;
  readonly credentials: CredentialsProvider;
  /** Attempts per call, the first included. Default 2: one retry, so a call fails fast into a 503. */
  readonly maxAttempts?: number;
  /** A new connection must be up within this (default 1 s): a black-holed endpoint fails fast. */
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
   * Ends the call — the attempt in flight and any retry — when it fires (e.g. a deadline:
   * `AbortSignal.timeout(ms)`). The call then rejects with an `AbortError` (503 in the handlers).
   */
  readonly signal?: AbortSignal;
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
 * the SDK's backoff, the connect/request timeouts and a per-call AbortSignal.
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

  /** One DynamoDB operation, e.g. `send("Query", {...})`, retried once when the SDK would retry it. */
  async send<Op extends DynamoOperation>(operation: Op, input: InputOf<Op>, options: DynamoCallOptions = {}): Promise<OutputOf<Op>> {
    const { signal } = options;
    const target = `${API_VERSION}.${operation}`;
    const body = JSON.stringify(input);
    for (let attempt = 1; ; attempt++) {
      const credentials = await this.credentials();
      // Checked after the awaits, right before sending: once the signal has fired, nothing is sent.
      const send = (changed?: unknown): Promise<unknown> => {
        if (signal?.aborted) return Promise.reject(aborted(signal));
        return this.attempt(target, changed === undefined ? body : JSON.stringify(changed), credentials, signal);
      };
      try {
        const output = this.interceptor ? this.interceptor({ operation, input, attempt }, send) : send();
        return (await output) as OutputOf<Op>;
      } catch (err) {
        if (attempt >= this.maxAttempts || signal?.aborted || !isRetryable(err)) throw err;
        const base = THROTTLING_ERRORS.has((err as Error).name) ? THROTTLED_RETRY_BASE_MS : RETRY_BASE_MS;
        try {
          await sleep(Math.floor(Math.random() * 2 ** attempt * base), undefined, { signal });
        } catch {
          throw aborted(signal);
        }
      }
    }
  }

  /** Close the pooled connections (at shutdown). */
  destroy(): void {
    this.agent.destroy();
  }

  private attempt(target: string, body: string, credentials: AwsCredentials, signal: AbortSignal | undefined): Promise<unknown> {
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
      const requestTimer = setTimeout(
        () => fail(new DynamoTimeoutError(`DynamoDB did not answer within ${this.requestTimeoutMs} ms`)),
        this.requestTimeoutMs,
      );
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
      req.on("socket", (socket) => {
        if (!socket.connecting) return; // a pooled keep-alive connection
        connectTimer = setTimeout(
          () => fail(new DynamoTimeoutError(`No connection to DynamoDB within ${this.connectTimeoutMs} ms`)),
          this.connectTimeoutMs,
        );
        socket.once("connect", () => clearTimeout(connectTimer));
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
      req.end(body);
    });
  }
}

function aborted(signal: AbortSignal | undefined): DynamoAbortError {
  const reason: unknown = signal?.reason;
  return new DynamoAbortError(`DynamoDB call aborted${reason instanceof Error ? `: ${reason.message}` : ""}`, { cause: reason });
}
