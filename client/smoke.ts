/**
 * The auth-contract smoke suite, against any stack's outputs (local or deployed): every check
 * runs, each reports pass/fail with what it saw. runSmoke never throws for a failed check; it
 * throws only when it cannot start (outputs unusable).
 */
import { accountChecks } from "./smoke/account-checks";
import { authChecks } from "./smoke/auth-checks";
import { smokeContext, type Check } from "./smoke/context";
import { notesChecks } from "./smoke/notes-checks";
import { deleteFreshUser, prepareUser, type Credentials, type SmokeUser } from "./smoke/users";
import { isLocalStack, type StackOutputs } from "./outputs";
import { authFlowName, type SignInFlow } from "./cognito-auth";

export interface SmokeOptions {
  /** Pre-confirmed users (deployed stacks); default: fresh sign-ups. */
  readonly userA?: Credentials;
  readonly userB?: Credentials;
  /** A genuinely expired id token of this pool (deployed stacks). */
  readonly expiredToken?: string;
  /** How users A and B sign in: USER_SRP_AUTH (default, as the app) or USER_PASSWORD_AUTH. */
  readonly flow?: SignInFlow;
  /** Called as each result is known (for live output). */
  readonly onResult?: (result: SmokeResult) => void;
}

export interface SmokeResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  /** A caveat on a pass (e.g. a proof that only the local stack can give). */
  readonly note?: string;
  /** Passed without proving its claim on this stack: reported as SKIP. */
  readonly skipped?: boolean;
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name === "CheckFailed" ? "" : `${err.name}: `}${err.message}` : String(err);
}

export const allChecks: readonly Check[] = [...authChecks, ...notesChecks, ...accountChecks];

export async function runSmoke(outputs: StackOutputs, options: SmokeOptions = {}): Promise<SmokeResult[]> {
  const results: SmokeResult[] = [];
  const report = (result: SmokeResult): void => {
    results.push(result);
    options.onResult?.(result);
  };
  const users: SmokeUser[] = [];
  const flow = options.flow ?? "srp";
  try {
    for (const [label, given] of [
      ["A", options.userA],
      ["B", options.userB],
    ] as const) {
      try {
        const user = await prepareUser(outputs, label, given, flow);
        users.push(user);
        report({ name: `user ${label}: ${given ? "" : "sign up / "}sign in (${authFlowName(flow)})`, ok: true, detail: `${user.email} sub ${user.sub}` });
      } catch (err) {
        report({ name: `user ${label}: ${given ? "" : "sign up / "}sign in (${authFlowName(flow)})`, ok: false, detail: describe(err) });
        return results;
      }
    }
    const [a, b] = users as [SmokeUser, SmokeUser];
    const ctx = smokeContext(outputs, a, b, isLocalStack(outputs), options.expiredToken, flow);
    for (const check of allChecks) {
      try {
        const pass = await check.run(ctx);
        report(typeof pass === "string" ? { name: check.name, ok: true, detail: pass } : { name: check.name, ok: true, ...pass });
      } catch (err) {
        report({ name: check.name, ok: false, detail: describe(err) });
      }
    }
    return results;
  } finally {
    // Users this run signed up are removed (their notes were deleted by the checks).
    for (const user of users) await deleteFreshUser(outputs, user).catch(() => undefined);
  }
}
