/**
 * `npm run bench [-- --quick] [--out file] [--profile] [--record]`: the request path against its
 * peers, one target at a time on this machine, as a table and as ratios, compared with the committed
 * baseline. Written to LATEST_FILE (bench/baseline.ts: `latest.json` in the git-ignored
 * bench/.results folder) or `--out`; only `--record` (a full
 * run) rewrites the committed baseline bench/results.json, which infra's capacity model reads.
 */
import { createServer, type Server } from "node:http";
import type { Result } from "autocannon";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { idToken, testKey, TEST_CLIENT_ID, TEST_ISSUER } from "../test/helpers/tokens";
import { build } from "esbuild";
import { requestCountTargetPerMinute } from "../infra/backend/capacity";
import { BASELINE_FILE, compareWithBaseline, LATEST_FILE, outputFor, readReport, recordBaseline, writeReport, type OutputChoice } from "./baseline";
import { BOUNDED_OLD_SPACE_MB, measureExport, seedExportUser, type ExportMemoryResult } from "./export-memory";
import { buildService, RUNTIME_NODE_OPTIONS, serviceBuildOptions } from "../service/build";
import { BUILD_DIR, buildTargets } from "./build-targets";
import { startCognitoStandIn } from "./cognito-stand-in";
import { measureDeleteMe, seedDeleteMeUsers } from "./delete-me";
import { startBenchDynamo } from "./dynamodb-local";
import { load, type LoadOptions, type RequestSpec } from "./load";
import { cpuSeconds, freePort, memoryOf, round, startTarget, type Target } from "./processes";
import { profilePaths } from "./profile";
import { cpuRatio, formatTable, peakRssLimit, ratio, scenarioResult, type ScenarioResult } from "./report";
import { measureStartup } from "./startup";
import { taskMemoryCgroup } from "./task-memory";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
let output: OutputChoice;
try {
  output = outputFor(args);
} catch (err) {
  console.error(`bench: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(2);
}
const options: LoadOptions = { durationS: Number(flagValue("--duration") ?? (quick ? 1 : 10)), connections: 64, pipelining: 1 };
/**
 * `--quick` checks that every scenario runs, not how fast, and a busy machine can close its 1 s
 * window before a notes scenario's first answer (0 requests). A quick scenario that got fewer
 * answers than it has connections is measured again until it has two per connection (autocannon's
 * `amount`; its req/s is then not a rate over a window). Only a slow machine pays for the second run.
 */
const QUICK_MIN_REQUESTS = options.connections;
/** Unmeasured load first, so every target is measured after the JIT has warmed up, not during. */
const warmupS = quick ? 0.5 : 2;

function flagValue(flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const bundles = await buildTargets({
    "node-http": join(__dirname, "targets/node-http.ts"),
    "hono-bare": join(__dirname, "targets/hono-bare.ts"),
    "hono-logged": join(__dirname, "targets/hono-logged.ts"),
    "express-me": join(__dirname, "targets/express-me.ts"),
    gateway: join(__dirname, "targets/gateway.ts"),
    "notes-floor": join(__dirname, "targets/notes-floor.ts"),
  });
  // The service exactly as it ships: `npm run build`'s bundle.
  const serviceBundle = join(BUILD_DIR, "service.js");
  await buildService(serviceBundle);
  bundles.service = serviceBundle;
  const jwks = await serveJwks();
  const tableName = "bench-notes";
  // DynamoDB Local stands in for DynamoDB, outside the task: it runs unconstrained.
  const dynamo = await startBenchDynamo(tableName);
  const taskMemory = taskMemoryCgroup();
  process.stderr.write(
    taskMemory.limitMb === null
      ? `  targets run WITHOUT a task's memory limit (${taskMemory.reason}): RSS and CPU are not a task's\n`
      : `  targets run in a ${taskMemory.limitMb} MB memory cgroup, as in a Fargate task\n`,
  );
  const cgroupProcs = taskMemory.procsFile;
  // What the Express peer and the gateway check tokens against.
  const authEnv = { COGNITO_ISSUER: TEST_ISSUER, COGNITO_CLIENT_ID: TEST_CLIENT_ID, JWKS_URI: jwks.uri };
  const serviceEnv = {
    ...authEnv,
    TABLE_NAME: tableName,
    AWS_REGION: "local",
    DYNAMODB_ENDPOINT: dynamo.url,
    // As every deployed task: the stage-prefix check runs on each request (here unprefixed).
    STAGE_NAME: "bench",
    // The service runs as the image runs it.
    NODE_OPTIONS: RUNTIME_NODE_OPTIONS,
    // --quick checks that every scenario runs, and on a saturated machine a create can queue past
    // the production write deadline (3 s) and be shed with 503 — right, but not what it checks — so
    // it gives writes the longest deadline the service accepts. The full run keeps production's.
    ...(quick ? { WRITE_DEADLINE_MS: "10000" } : {}),
  };
  const token = idToken("bench-user-0001");
  const me: RequestSpec = { method: "GET", path: "/me", headers: { Authorization: token } };
  const listNotes: RequestSpec = { ...me, path: "/notes" };
  const createNote: RequestSpec = {
    method: "POST",
    path: "/notes",
    headers: { Authorization: token, "Content-Type": "application/json" },
    body: JSON.stringify({ title: "bench", body: "a note written under load" }),
  };
  // The reference's own partition, seeded with the same 20 notes, so both list the same page.
  const floorUser = "bench-floor-user";
  const results: ScenarioResult[] = [];

  async function run(id: string, label: string, target: Target, request: RequestSpec): Promise<void> {
    await load(target.url, request, { ...options, durationS: warmupS });
    let { r, cpu } = await measure(target, request, options);
    if (quick && r.requests.total < QUICK_MIN_REQUESTS) {
      process.stderr.write(`  ${label}: ${r.requests.total} answers in ${options.durationS} s; again until ${2 * options.connections}\n`);
      ({ r, cpu } = await measure(target, request, { ...options, amount: 2 * options.connections }));
    }
    results.push(scenarioResult(id, label, r, memoryOf(target.child.pid), cpu));
    process.stderr.write(`  ${label}: ${Math.round(r.requests.average)} req/s\n`);
  }
  async function measure(target: Target, request: RequestSpec, loadOptions: LoadOptions): Promise<{ r: Result; cpu: number }> {
    const cpuBefore = cpuSeconds(target.child.pid);
    const r = await load(target.url, request, loadOptions);
    return { r, cpu: cpuSeconds(target.child.pid) - cpuBefore };
  }
  async function withTarget(name: string, script: string, env: Record<string, string>, body: (t: Target) => Promise<void>) {
    await withTargetResult(name, script, env, body);
  }
  async function withTargetResult<T>(name: string, script: string, env: Record<string, string>, body: (t: Target) => Promise<T>): Promise<T> {
    const target = await startTarget({ name, script, env, healthPath: "/health", cgroupProcs });
    try {
      return await body(target);
    } finally {
      await target.stop();
    }
  }

  try {
    process.stderr.write(`bench: ${options.durationS}s per scenario, ${options.connections} connections\n`);
    await withTarget("node-http", bundles["node-http"]!, {}, (t) => run("nodeHttp", "1 node:http bare JSON", t, me));
    await withTarget("hono-bare", bundles["hono-bare"]!, {}, (t) => run("honoBare", "2 bare Hono JSON", t, me));
    await withTarget("hono-logged", bundles["hono-logged"]!, {}, (t) => run("honoLogged", "2b Hono + request id + pino line", t, me));
    await withTarget("express-me", bundles["express-me"]!, authEnv, (t) => run("expressMe", "3 Express + jwt-decode /me", t, me));
    await withTarget("service-decode", bundles.service!, { ...serviceEnv, AUTH_MODE: "decode" }, async (t) => {
      await run("meDecode", "4 service /me decode", t, me);
      await seedNotes(t.url, token, 20);
      await seedNotes(t.url, idToken(floorUser), 20);
      await run("notesList", "6 service GET /notes (DynamoDB Local)", t, listNotes);
      await run("notesCreate", "6 service POST /notes (DynamoDB Local)", t, createNote);
    });
    // Same DynamoDB Local, same calls, same NODE_OPTIONS: only the code around the calls differs.
    const floorEnv = { TABLE_NAME: tableName, DYNAMODB_ENDPOINT: dynamo.url, FLOOR_USER_ID: floorUser, NODE_OPTIONS: RUNTIME_NODE_OPTIONS };
    await withTarget("notes-floor", bundles["notes-floor"]!, floorEnv, async (t) => {
      await run("floorList", "8 reference GET /notes: node:http + minimal DynamoDB client", t, listNotes);
      await run("floorCreate", "8 reference POST /notes: node:http + minimal DynamoDB client", t, createNote);
    });
    await withTarget("service-verify", bundles.service!, { ...serviceEnv, AUTH_MODE: "verify" }, async (service) => {
      await run("meVerify", "5 service /me verify", service, me);
      // The local stack's shape: gateway (verifies) → service in verify mode.
      const gateway = await startTarget({ name: "gateway", script: bundles.gateway!, env: { ...authEnv, SERVICE_URL: service.url }, cgroupProcs });
      try {
        await run("meGateway", "7 /me through the local gateway", gateway, me);
      } finally {
        await gateway.stop();
      }
    });
    // GET /me/export of 5 000 notes, each on a fresh service (the baseline is an idle process, not
    // one just out of the load scenarios): with the image's options, then with a bounded heap.
    const exportUser = "bench-export-0001";
    const exportSize = { notes: 5_000, bodyChars: 2_000 };
    await seedExportUser(dynamo.url, tableName, exportUser, exportSize.notes, exportSize.bodyChars);
    const exportEnv = { ...serviceEnv, AUTH_MODE: "decode" };
    const production = await withTargetResult("service-export", bundles.service!, exportEnv, (t) => measureExport(t, idToken(exportUser)));
    const boundedEnv = { ...exportEnv, NODE_OPTIONS: `${RUNTIME_NODE_OPTIONS} --max-old-space-size=${BOUNDED_OLD_SPACE_MB}` };
    const bounded = await withTargetResult("service-export-bounded", bundles.service!, boundedEnv, (t) => measureExport(t, idToken(exportUser)));
    const { bytes, ...productionRun } = production;
    const { bytes: _boundedBytes, ...boundedRun } = bounded;
    const exportMemory: ExportMemoryResult = {
      ...exportSize,
      exportMb: round(bytes / 2 ** 20),
      production: productionRun,
      bounded: { ...boundedRun, maxOldSpaceMb: BOUNDED_OLD_SPACE_MB },
      met: bounded.completed,
    };
    process.stderr.write(
      `  export of ${exportSize.notes} notes: peak RSS +${production.peakGrowthMb} MB; bounded heap: ${bounded.completed ? `+${bounded.peakGrowthMb} MB` : `failed (${bounded.error})`}\n`,
    );
    // DELETE /me of accounts with 100 notes each, AdminDeleteUser answered by a stand-in (no pool here).
    const cognito = await startCognitoStandIn();
    const deleteNotes = 100;
    const deleteSubs = await seedDeleteMeUsers(dynamo.url, tableName, quick ? 5 : 30, deleteNotes);
    const deleteMe = await withTargetResult("service-delete", bundles.service!, { ...serviceEnv, AUTH_MODE: "decode", COGNITO_ENDPOINT: cognito.url }, (t) =>
      measureDeleteMe(t, deleteSubs, deleteNotes, cognito.deletions),
    ).finally(() => cognito.close());
    process.stderr.write(`  DELETE /me, ${deleteNotes} notes: p50 ${deleteMe.p50Ms} ms, p95 ${deleteMe.p95Ms} ms over ${deleteMe.accounts} accounts\n`);
    const startup = await measureStartup(bundles.service!, { ...serviceEnv, AUTH_MODE: "decode" }, quick ? 3 : 10, cgroupProcs);
    const ratios = [
      // Informational: the old "≥ 0.85 × bare Hono" target is retired — bare Hono writes no log line, which
      // every service request must (docs/performance.md); 4/2b below is the target that replaced it.
      ratio("decode / bare Hono (4/2)", results, "meDecode", "honoBare", 0),
      ratio("decode / Express (4/3)", results, "meDecode", "expressMe", 1.5),
      // Informational: against Hono doing the per-request logging the service must do.
      ratio("decode / Hono + log line (4/2b)", results, "meDecode", "honoLogged", 0.9),
      ratio("verify / decode (5/4)", results, "meVerify", "meDecode", 0.8),
      // No target: the gateway adds a hop (and in AWS it is not ours to tune).
      ratio("gateway / decode (7/4)", results, "meGateway", "meDecode", 0),
      // The notes path within 2× the floor's CPU per request (docs/performance.md#the-notes-path).
      cpuRatio("GET /notes CPU / reference (6/8)", results, "notesList", "floorList", 2.0),
      cpuRatio("POST /notes CPU / reference (6/8)", results, "notesCreate", "floorCreate", 2.0),
    ];
    const limits = [
      peakRssLimit("notes peak RSS MB (6)", results, ["notesList", "notesCreate"], 128),
      { name: `DELETE /me p50 ms, ${deleteNotes} notes`, value: deleteMe.p50Ms, max: deleteMe.targetP50Ms, met: deleteMe.met },
    ];
    const profile = args.includes("--profile")
      ? await profilePaths(
          await readableServiceBundle(),
          { ...serviceEnv, AUTH_MODE: "decode" },
          { me, notesList: listNotes, notesCreate: createNote },
          cgroupProcs,
        )
      : undefined;
    const report = {
      date: new Date().toISOString(),
      machine: {
        cpu: cpus()[0]?.model ?? "unknown",
        cores: cpus().length,
        memoryGb: round(totalmem() / 2 ** 30),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      options: { ...options, warmupS, quick },
      // The memory limit the targets ran under (null: none, and why).
      taskMemory: taskMemory.limitMb === null ? { limitMb: null, reason: taskMemory.reason } : { limitMb: taskMemory.limitMb },
      scenarios: results,
      ratios,
      limits,
      startup,
      exportMemory,
      deleteMe,
      ...(profile ? { profile } : {}),
    };
    // Read before writing: --record replaces it.
    const baseline = readReport(BASELINE_FILE);
    let recorded: ReturnType<typeof recordOrKeep> | undefined;
    if (output.record) recorded = recordOrKeep(report);
    else writeReport(output.file, report);
    console.log(formatTable(results, ratios, limits));
    const p = exportMemory.production;
    const b = exportMemory.bounded;
    console.log(
      `GET /me/export, ${exportMemory.notes} notes (${exportMemory.exportMb} MB): RSS ${p.rssBeforeMb} → peak ${p.peakRssMb} MB (+${p.peakGrowthMb} MB) in ${p.durationMs} ms; ` +
        `with --max-old-space-size=${b.maxOldSpaceMb}: ${b.completed ? `completed, +${b.peakGrowthMb} MB` : `FAILED (${b.error})`} (target: completes${exportMemory.met ? ", met" : ", NOT met"})`,
    );
    console.log(`startup to ready (bundle): median ${startup.medianMs} ms over ${startup.runs} runs (target < ${startup.targetMs} ms)`);
    if (recorded) {
      const targets = (cpu: number | undefined) =>
        cpu === undefined ? "?" : `${requestCountTargetPerMinute(256, cpu)} (256 units) / ${requestCountTargetPerMinute(512, cpu)} (512 units)`;
      console.log(`recorded as the committed baseline: ${output.file} — commit it, and update the figures in docs/performance.md`);
      console.log(
        `capacity: CPU per notes request ${recorded.before ?? "?"} → ${recorded.after} µs; request-count target per task per minute ${targets(recorded.before)} → ${targets(recorded.after)}`,
      );
    } else {
      for (const line of compareWithBaseline(report, baseline)) console.log(line);
      console.log(`written to ${output.file}${output.file === LATEST_FILE ? " (git-ignored; --record makes a full run the committed baseline)" : ""}`);
    }
  } finally {
    await dynamo.stop();
    jwks.server.close();
    taskMemory.remove();
  }
}

/**
 * --record: the report becomes the baseline, or, if infra could not read it as one (a notes
 * scenario without a CPU figure), it goes to LATEST_FILE and the run fails, baseline untouched.
 */
function recordOrKeep(report: unknown): ReturnType<typeof recordBaseline> {
  try {
    return recordBaseline(report, output.file);
  } catch (err) {
    writeReport(LATEST_FILE, report);
    throw new Error(`not recorded (${err instanceof Error ? err.message : String(err)}); this run is in ${LATEST_FILE}`);
  }
}

/** The shipped build, but one statement per line, so the profile's locations point somewhere. */
async function readableServiceBundle(): Promise<string> {
  const outfile = join(BUILD_DIR, "service-profile.js");
  await build({ ...serviceBuildOptions(outfile), minifyWhitespace: false });
  return outfile;
}

/** The JWKS the verify-mode service loads at start (the bench's signing key). */
async function serveJwks(): Promise<{ server: Server; uri: string }> {
  const body = JSON.stringify({ keys: [testKey().publicJwk] });
  const server = createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end(body));
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { server, uri: `http://127.0.0.1:${port}/.well-known/jwks.json` };
}

async function seedNotes(url: string, token: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${url}/notes`, {
      method: "POST",
      headers: { Authorization: token, "Content-Type": "application/json" },
      body: JSON.stringify({ title: `seed ${i}`, body: "x".repeat(200) }),
    });
    if (res.status !== 201) throw new Error(`seeding notes failed: ${res.status} ${await res.text()}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack : err);
  process.exit(1);
});
