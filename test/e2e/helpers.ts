/** Start the whole local stack on free ports in a temp dir; stop it and remove the dir. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalStack, type LocalStack } from "../../local/stack";
import { testDynamoEndpoint, uniqueTableName } from "../helpers/dynamodb";

export interface TestStack {
  readonly stack: LocalStack;
  readonly dir: string;
  stop(): Promise<void>;
}

export interface TestStackOptions {
  /** The gateway sends the service `/local/…` paths (LocalStackOptions.stagePrefix). */
  readonly stagePrefix?: boolean;
  /** USER_PASSWORD_AUTH on the app client (LocalStackOptions.passwordAuth); false = prod's shape. */
  readonly passwordAuth?: boolean;
  /** The service's LOG_LEVEL; default warn (quiet). */
  readonly logLevel?: string;
  /** Every line the service writes, parsed when it is JSON (pino lines are). */
  readonly onServiceLine?: (line: Record<string, unknown>) => void;
}

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const dir = mkdtempSync(join(tmpdir(), "uaa-e2e-"));
  const onServiceLine = options.onServiceLine;
  const stack = await startLocalStack({
    dataDir: dir,
    ports: { gateway: 0, cognito: 0, service: 0, dynamodb: 0 },
    persistData: false,
    dynamoEndpoint: testDynamoEndpoint(),
    tableName: uniqueTableName("e2e-notes"),
    logLevel: options.logLevel ?? "warn",
    stagePrefix: options.stagePrefix,
    passwordAuth: options.passwordAuth,
    onServiceLog: onServiceLine ? (line) => onServiceLine(parseLine(line)) : undefined,
  });
  return {
    stack,
    dir,
    stop: async () => {
      await stack.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function parseLine(line: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(line);
    return parsed !== null && typeof parsed === "object" ? (parsed as Record<string, unknown>) : { text: line };
  } catch {
    return { text: line };
  }
}

/** The service's "backend path form" lines (service/src/http/stage-prefix.ts), as `pathForm` values. */
export function pathFormsIn(lines: readonly Record<string, unknown>[]): unknown[] {
  return lines.filter((l) => l["msg"] === "backend path form").map((l) => l["pathForm"]);
}

/** True while a process with this pid exists (kill 0 only checks). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw err;
  }
}
