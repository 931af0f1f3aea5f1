/**
 * `npm run app-config -- [--outputs <file>] [--out amplify_outputs.json]`: the mobile app's
 * `amplify_outputs.json` from any stack's outputs file (`pulumi stack output --json`, or the local
 * stack's .data/outputs.local.json). The file's `amplifyOutputs` output was built by the program
 * (or the local stack) from the pool's settings; this checks it names the same pool, client, region
 * and API as the file's other outputs, and writes it. runAppConfig returns the exit code, so tests
 * drive it in-process; any failure is one line on stderr, exit 1.
 */
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { amplifyOutputsSchema, type AmplifyOutputs } from "../contract/amplify-outputs";
import { DEFAULT_OUTPUTS_FILE, OutputsError, parseOutputs, readOutputsJson } from "./outputs";

export const DEFAULT_AMPLIFY_OUTPUTS_FILE = "amplify_outputs.json";

export const APP_CONFIG_USAGE = `usage: npm run app-config -- [--outputs <file>] [--out <file>]
  --outputs  a stack's outputs: \`pulumi stack output --json > outputs.json\`, or ${DEFAULT_OUTPUTS_FILE} (default, the local stack)
  --out      where to write the Amplify client config (default ${DEFAULT_AMPLIFY_OUTPUTS_FILE})`;

/** The Amplify config an outputs file carries, checked against the file's own outputs. */
export function appConfigFromOutputs(raw: unknown, source: string): AmplifyOutputs {
  const outputs = parseOutputs(raw, source);
  const value = (raw as Record<string, unknown>)["amplifyOutputs"];
  if (value === undefined) {
    throw new OutputsError(
      `${source}: missing key "amplifyOutputs" (outputs of a stack deployed before that output existed: \`pulumi up\` and export them again; locally: restart \`npm run dev\`)`,
    );
  }
  const parsed = amplifyOutputsSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `key "${["amplifyOutputs", ...issue.path].join(".")}": ${issue.message}`);
    throw new OutputsError(`${source}: ${problems.join("; ")}`);
  }
  const config = parsed.data;
  const expected: ReadonlyArray<readonly [string, string | undefined, string | undefined]> = [
    ["auth.aws_region", config.auth.aws_region, outputs.region],
    ["auth.user_pool_id", config.auth.user_pool_id, outputs.userPoolId],
    ["auth.user_pool_client_id", config.auth.user_pool_client_id, outputs.userPoolClientId],
    ["custom.api.url", config.custom.api.url, outputs.apiUrl],
    ["custom.api.aws_region", config.custom.api.aws_region, outputs.region],
    ["custom.sign_in.user_pool_endpoint", config.custom.sign_in.user_pool_endpoint, outputs.cognitoEndpoint],
  ];
  const mismatches = expected.filter(([, actual, wanted]) => actual !== wanted);
  if (mismatches.length > 0) {
    const detail = mismatches.map(([key, actual, wanted]) => `amplifyOutputs.${key} is ${JSON.stringify(actual)}, the outputs say ${JSON.stringify(wanted)}`);
    throw new OutputsError(`${source}: the outputs disagree (a file assembled from two stacks?): ${detail.join("; ")}`);
  }
  return config;
}

export interface AppConfigIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly cwd: string;
}

export async function runAppConfig(argv: readonly string[], io: Partial<AppConfigIo> = {}): Promise<number> {
  const stdout = io.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stderr = io.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  // `npm run` starts scripts in the package root; relative paths are the caller's (INIT_CWD).
  const cwd = io.cwd ?? process.env["INIT_CWD"] ?? process.cwd();
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: { outputs: { type: "string" }, out: { type: "string" }, help: { type: "boolean", short: "h" } },
    });
    if (values.help) {
      stdout(APP_CONFIG_USAGE);
      return 0;
    }
    if (positionals.length > 0) throw new OutputsError(`unexpected argument "${positionals[0]}" (see --help)`);
    const source = resolve(cwd, values.outputs ?? DEFAULT_OUTPUTS_FILE);
    const out = resolve(cwd, values.out ?? DEFAULT_AMPLIFY_OUTPUTS_FILE);
    const config = appConfigFromOutputs(readOutputsJson(source), source);
    try {
      writeFileSync(out, `${JSON.stringify(config, null, 2)}\n`);
    } catch (err) {
      throw new OutputsError(`cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
    stdout(`wrote ${out} (pool ${config.auth.user_pool_id}, API ${config.custom.api.url}, sign-in ${config.custom.sign_in.auth_flow_type})`);
    return 0;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    stderr(`app-config: ${message.split("\n")[0] ?? message}`);
    return 1;
  }
}
