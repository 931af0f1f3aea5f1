/**
 * `npm run smoke -- [--outputs <file>] [--user-a email:password] [--user-b email:password]
 *  [--expired-token <jwt>] [--auth srp|password]`: the auth-contract suite, a pass/fail line per
 * check, exit 1 on failure. Users sign in with USER_SRP_AUTH (as the app) unless --auth password.
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { authFlowName, parseSignInFlow } from "./cognito-auth";
import { DEFAULT_OUTPUTS_FILE, loadOutputs } from "./outputs";
import { runSmoke, type SmokeResult } from "./smoke";
import { parseCredentials } from "./smoke/users";

function line(result: SmokeResult): string {
  const mark = !result.ok ? "FAIL" : result.skipped ? "SKIP" : "PASS";
  const note = result.note ? `\n       note: ${result.note}` : "";
  return `${mark}  ${result.name}\n       ${result.detail}${note}`;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      outputs: { type: "string" },
      "user-a": { type: "string" },
      "user-b": { type: "string" },
      "expired-token": { type: "string" },
      auth: { type: "string" },
    },
  });
  const file = resolve(values.outputs ?? DEFAULT_OUTPUTS_FILE);
  const flow = parseSignInFlow(values.auth);
  const outputs = loadOutputs(file);
  process.stdout.write(`auth-contract smoke suite against ${outputs.apiUrl} (pool ${outputs.userPoolId}, sign-in ${authFlowName(flow)})\n\n`);
  const results = await runSmoke(outputs, {
    userA: values["user-a"] ? parseCredentials(values["user-a"], "--user-a") : undefined,
    userB: values["user-b"] ? parseCredentials(values["user-b"], "--user-b") : undefined,
    expiredToken: values["expired-token"],
    flow,
    onResult: (result) => process.stdout.write(`${line(result)}\n`),
  });
  const failed = results.filter((r) => !r.ok).length;
  const skipped = results.filter((r) => r.ok && r.skipped).length;
  process.stdout.write(`\n${results.length - failed - skipped} passed, ${skipped} skipped (not provable on this stack), ${failed} failed\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`smoke: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
