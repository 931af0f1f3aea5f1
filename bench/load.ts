import autocannon, { type Result } from "autocannon";

export interface LoadOptions {
  readonly durationS: number;
  /**
   * When set, the run ends after this many responses instead of after `durationS` (autocannon's
   * `amount`; it still ends on its 1-second sampling tick). The quick bench falls back to it: a
   * fixed window on a loaded machine can close before a slow scenario's first response.
   */
  readonly amount?: number;
  readonly connections: number;
  readonly pipelining: number;
}

export interface RequestSpec {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** The same load against every target: autocannon, programmatic, one target at a time. */
export function load(baseUrl: string, request: RequestSpec, options: LoadOptions): Promise<Result> {
  return autocannon({
    url: baseUrl + request.path,
    method: request.method,
    headers: { ...request.headers },
    body: request.body,
    duration: options.durationS,
    ...(options.amount === undefined ? {} : { amount: options.amount }),
    connections: options.connections,
    pipelining: options.pipelining,
  });
}
