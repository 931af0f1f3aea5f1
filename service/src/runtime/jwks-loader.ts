import type { Logger } from "../logger";

/** The part of JwksSignatureVerifier the loader drives. */
export interface LoadableKeys {
  readonly ready: boolean;
  readonly jwksUri: string;
  load(): Promise<void>;
}

export interface JwksLoaderOptions {
  /** First retry after this many ms; doubles per failure. */
  readonly initialDelayMs?: number;
  /** Retries never wait longer than this. */
  readonly maxDelayMs?: number;
  /** Called once, when the keys have loaded after at least one failure. */
  readonly onLoaded?: () => void;
}

/**
 * Loads the JWKS at start and, if that fails, keeps retrying in the background with capped
 * exponential backoff. Why not crash: an exit would put ECS into a restart loop while Cognito (or
 * the network path to it) is down; staying up with `/health` 503 keeps the old tasks serving
 * (the deployment circuit breaker rolls back) and recovers by itself when the keys come back.
 */
export class JwksLoader {
  private readonly keys: LoadableKeys;
  private readonly logger: Logger;
  private readonly initialDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly onLoaded: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private failures = 0;

  constructor(keys: LoadableKeys, logger: Logger, options: JwksLoaderOptions = {}) {
    this.keys = keys;
    this.logger = logger;
    this.initialDelayMs = options.initialDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.onLoaded = options.onLoaded;
  }

  /** The first attempt; resolves true when the keys loaded, false when retries were scheduled. */
  async start(): Promise<boolean> {
    return this.attempt();
  }

  /** Cancel pending retries (shutdown). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private async attempt(): Promise<boolean> {
    try {
      await this.keys.load();
    } catch (err) {
      if (this.stopped) return false;
      this.failures++;
      const retryInMs = Math.min(this.maxDelayMs, this.initialDelayMs * 2 ** (this.failures - 1));
      // The message alone (it names the URI and the cause): a stack would add nothing here.
      const error = err instanceof Error ? err.message : String(err);
      const fields = { jwksUri: this.keys.jwksUri, err: error, attempt: this.failures, retryInMs };
      // One clear error line; the retries after it are warnings, so the first one is easy to find.
      if (this.failures === 1) this.logger.error(fields, "JWKS unavailable");
      else this.logger.warn(fields, "JWKS still unavailable");
      // unref: a pending retry must not keep a shutting-down process alive.
      this.timer = setTimeout(() => void this.attempt(), retryInMs).unref();
      return false;
    }
    if (this.failures > 0) {
      this.logger.info({ jwksUri: this.keys.jwksUri, attempts: this.failures + 1 }, "JWKS loaded");
      this.onLoaded?.();
    }
    return true;
  }
}
