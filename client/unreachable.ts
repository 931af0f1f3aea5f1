/**
 * "Cannot reach …": one message for every endpoint the client talks to (the API, the user pool),
 * instead of `TypeError: fetch failed` from one and `Error: connect ECONNREFUSED …` from the other.
 */
import { isLocalStack, type StackOutputs } from "./outputs";

/** Error codes of a connection that could not be made or was cut (Node's net/dns and undici). */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_SOCKET",
]);

export class UnreachableError extends Error {
  override readonly name = "UnreachableError";
  constructor(what: string, url: string, outputs: StackOutputs, cause: unknown) {
    const hint = isLocalStack(outputs) ? "is `npm run dev` running?" : "check the network and the outputs file";
    super(`cannot reach ${what} at ${url} (${hint})`, { cause });
  }
}

/** True when `err` (or what it wraps: fetch puts the socket error in `cause`) is a failed connection. */
export function isConnectionFailure(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
    // An AggregateError (happy eyeballs: every address refused) carries the codes in `errors`.
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.some(isConnectionFailure)) return true;
  }
  return false;
}
