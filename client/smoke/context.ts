/** What every smoke check gets, and what a check is. */
import { apiRequest, type ApiResponse, type RequestOptions } from "../api";
import type { SignInFlow } from "../cognito-auth";
import type { StackOutputs } from "../outputs";
import type { SmokeUser } from "./users";

export interface SmokeContext {
  readonly outputs: StackOutputs;
  readonly a: SmokeUser;
  readonly b: SmokeUser;
  /** True when targeting cognito-local (local-only proofs are possible). */
  readonly local: boolean;
  /** A genuinely expired id token for a deployed stack (--expired-token), if given. */
  readonly expiredToken: string | undefined;
  /** How the suite's users sign in (--auth). */
  readonly flow: SignInFlow;
  request(method: string, path: string, options?: RequestOptions): Promise<ApiResponse>;
}

/** The outcome a check reports when it passes: what it saw, and an optional caveat. */
export interface CheckPass {
  readonly detail: string;
  readonly note?: string;
  /** The check could not prove its claim against this stack (reported as SKIP, never as PASS). */
  readonly skipped?: boolean;
}

export interface Check {
  readonly name: string;
  /** Resolves when the check passes; throws CheckFailed (or anything) when it does not. */
  run(ctx: SmokeContext): Promise<CheckPass | string>;
}

export function smokeContext(
  outputs: StackOutputs,
  a: SmokeUser,
  b: SmokeUser,
  local: boolean,
  expiredToken: string | undefined,
  flow: SignInFlow = "srp",
): SmokeContext {
  return {
    outputs,
    a,
    b,
    local,
    expiredToken,
    flow,
    request: (method, path, options) => apiRequest(outputs.apiUrl, method, path, options),
  };
}
