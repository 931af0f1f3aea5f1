/**
 * The CLI (the mobile app's stand-in): `npm run cli -- <command>`. runCli returns the exit code
 * instead of exiting, so tests drive it in-process. Any failure is one line on stderr, exit 1.
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ApiError } from "./api";
import { AuthError } from "./cognito-auth";
import { meDeleteCommand, meExportCommand } from "./commands/account";
import { confirmCommand, loginCommand, logoutCommand, signupCommand, tokenCommand } from "./commands/auth";
import { UsageError, type CommandContext } from "./commands/context";
import { meCommand, notesAddCommand, notesEditCommand, notesGetCommand, notesListCommand, notesRmCommand } from "./commands/notes";
import { DEFAULT_OUTPUTS_FILE, loadOutputs, OutputsError, type StackOutputs } from "./outputs";
import { NotLoggedInError } from "./session";
import { isConnectionFailure, UnreachableError } from "./unreachable";

export interface CliIo {
  readonly stdout: (line: string) => void;
  /** Raw bytes to stdout (a streamed export); default process.stdout, waiting for it to drain. */
  readonly stdoutRaw: (chunk: Uint8Array) => Promise<void>;
  readonly stderr: (line: string) => void;
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

type Command = (ctx: CommandContext) => Promise<void>;

const commands: Record<string, Command> = {
  signup: signupCommand,
  confirm: confirmCommand,
  login: loginCommand,
  logout: logoutCommand,
  token: tokenCommand,
  me: meCommand,
  "me export": meExportCommand,
  "me delete": meDeleteCommand,
  "notes list": notesListCommand,
  "notes add": notesAddCommand,
  "notes get": notesGetCommand,
  "notes edit": notesEditCommand,
  "notes rm": notesRmCommand,
};

export const USAGE = `usage: npm run cli -- <command> [--outputs <file>] [--tokens-dir <dir>]
  signup <email> <password>        create a user
  confirm <email> [--code <code>]  confirm it (locally no code: AdminConfirmSignUp)
  login <email> <password> [--auth srp|password]
                                   sign in (USER_SRP_AUTH, as the app; password = USER_PASSWORD_AUTH); tokens saved with mode 0600
  logout | token                   forget tokens | print the id token (refreshed if needed)
  me                               GET /me
  me export [--out <file>]         GET /me/export: all your data as JSON, streamed to the file (mode 0600) or stdout
  me delete --yes                  DELETE /me: your account and all its notes, for good; then forgets the tokens
  notes list [--limit n] [--cursor c]
  notes add <title> [<body>]
  notes get <noteId>
  notes edit <noteId> [--title t] [--body b]
  notes rm <noteId>
--outputs defaults to ${DEFAULT_OUTPUTS_FILE} (the local stack); pass \`pulumi stack output --json\` output for a deployed stack.`;

/** The second words of the two-word commands under `group` ("notes" → list, add, …). */
function subcommandsOf(group: string): string[] {
  return Object.keys(commands)
    .filter((name) => name.startsWith(`${group} `))
    .map((name) => name.slice(group.length + 1));
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      outputs: { type: "string" },
      "tokens-dir": { type: "string" },
      code: { type: "string" },
      title: { type: "string" },
      body: { type: "string" },
      limit: { type: "string" },
      cursor: { type: "string" },
      out: { type: "string" },
      yes: { type: "boolean" },
      auth: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function oneLine(err: unknown, outputs: StackOutputs | undefined): string {
  if (
    err instanceof UsageError ||
    err instanceof OutputsError ||
    err instanceof AuthError ||
    err instanceof ApiError ||
    err instanceof NotLoggedInError ||
    err instanceof UnreachableError
  ) {
    return err.message;
  }
  // The user pool's calls say so themselves (cognito-auth.ts); any other failed connection is the API's.
  if (outputs && isConnectionFailure(err)) return new UnreachableError("the API", outputs.apiUrl, outputs, err).message;
  const message = err instanceof Error ? err.message : String(err);
  return message.split("\n")[0] ?? message;
}

function writeToStdout(chunk: Uint8Array): Promise<void> {
  return new Promise((resolveWrite) => {
    if (process.stdout.write(chunk)) resolveWrite();
    else process.stdout.once("drain", () => resolveWrite());
  });
}

export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> {
  const stdout = io.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  const stderr = io.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const cwd = io.cwd ?? process.cwd();
  const env = io.env ?? process.env;
  let outputs: StackOutputs | undefined;
  const stdoutRaw = io.stdoutRaw ?? writeToStdout;
  try {
    let parsed: ReturnType<typeof parse>;
    try {
      parsed = parse(argv);
    } catch (err) {
      throw new UsageError(err instanceof Error ? err.message : String(err));
    }
    const { values, positionals } = parsed;
    if (values.help || positionals.length === 0) {
      stdout(USAGE);
      return values.help ? 0 : 1;
    }
    const twoWords = positionals.slice(0, 2).join(" ");
    const name = commands[twoWords] ? twoWords : (positionals[0] as string);
    const command = commands[name];
    const subcommands = subcommandsOf(positionals[0] as string);
    if (!command && positionals.length === 1 && subcommands.length > 0) {
      throw new UsageError(`"${name}" needs a subcommand: ${subcommands.join(", ")} (npm run cli -- --help)`);
    }
    if (!command) throw new UsageError(`unknown command "${positionals.slice(0, 2).join(" ")}" (npm run cli -- --help)`);
    const outputsFile = resolve(cwd, values.outputs ?? env.USER_AWARE_API_OUTPUTS ?? DEFAULT_OUTPUTS_FILE);
    outputs = loadOutputs(outputsFile);
    const ctx: CommandContext = {
      outputs,
      tokensDir: resolve(cwd, values["tokens-dir"] ?? env.USER_AWARE_API_TOKENS_DIR ?? join(".data")),
      args: positionals.slice(name.split(" ").length),
      flags: {
        code: values.code,
        title: values.title,
        body: values.body,
        limit: values.limit,
        cursor: values.cursor,
        out: values.out === undefined ? undefined : resolve(cwd, values.out),
        yes: values.yes ? "true" : undefined,
        auth: values.auth,
      },
      print: stdout,
      write: stdoutRaw,
    };
    await command(ctx);
    return 0;
  } catch (err) {
    stderr(`error: ${oneLine(err, outputs)}`);
    return 1;
  }
}
