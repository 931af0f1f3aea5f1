/**
 * The pack loads the way the Pulumi CLI loads it, and answers the CLI's analyzer
 * protocol. The CLI (nodejs language host, RunPlugin for kind "analyzer") starts
 * `node @pulumi/pulumi/cmd/run-policy-pack <engine> <policy dir>` with the policy directory as
 * working directory; that requires the directory (package.json `main` → index.ts), whose
 * `new PolicyPack(...)` reads the pack's package.json version (policy/package.json), starts a gRPC server on 127.0.0.1:0 and
 * prints its port on stdout. The engine then connects and calls GetAnalyzerInfo, Configure and
 * Analyze. This test does the same with a child process and a gRPC client, except that the child
 * compiles TypeScript with tsx instead of the CLI's type-checking ts-node (about 45 s cold for
 * @pulumi/aws's types); `npx tsc --noEmit` type-checks policy/ with the rest.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as rpc from "@pulumi/pulumi/proto/analyzer_pb";
import type * as EmptyModule from "google-protobuf/google/protobuf/empty_pb";
import type * as StructModule from "google-protobuf/google/protobuf/struct_pb";
import type * as Grpc from "@grpc/grpc-js";
import devPolicyConfig from "../../policy/dev.json";
import policyPackage from "../../policy/package.json";
import prodPolicyConfig from "../../policy/prod.json";
import { PACK_NAME, policies } from "../../policy/policies";

const POLICY_DIR = path.resolve(__dirname, "../../policy");
// The very copies of grpc-js and google-protobuf that @pulumi/pulumi's generated stubs use
// (the stubs check `instanceof` against them).
const fromStubs = createRequire(require.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb"));
const grpc = fromStubs("@grpc/grpc-js") as typeof Grpc;
const { Empty } = fromStubs("google-protobuf/google/protobuf/empty_pb") as typeof EmptyModule;
const { Struct } = fromStubs("google-protobuf/google/protobuf/struct_pb") as typeof StructModule;

let pack: ChildProcess;
let client: AnalyzerClient;
let stderr = "";

/** Start the pack as the CLI does and resolve to the port it prints. */
function startPack(): Promise<number> {
  pack = spawn(process.execPath, ["--require", require.resolve("tsx/cjs"), "-e", `require(${JSON.stringify(POLICY_DIR)})`], {
    cwd: POLICY_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  pack.stderr!.on("data", (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    let stdout = "";
    pack.stdout!.on("data", (d) => {
      stdout += d;
      const line = /^(\d+)\s*$/m.exec(stdout);
      if (line) resolve(Number(line[1]));
    });
    // Without the child's stack frames: vitest would read them as this error's own.
    const reason = () =>
      stderr
        .split("\n")
        .filter((l) => !/^\s+at /.test(l))
        .join("\n");
    pack.on("exit", (code) => reject(new Error(`policy pack exited (${code}) before printing its port:\n${reason()}`)));
  });
}

/** A unary call's callback that settles a promise. */
const settle =
  <T>(resolve: (value: T) => void, reject: (error: Error) => void) =>
  (err: Grpc.ServiceError | null, res: T) =>
    err ? reject(err) : resolve(res);
const getAnalyzerInfo = () => new Promise<rpc.AnalyzerInfo>((ok, fail) => client.getAnalyzerInfo(new Empty(), settle(ok, fail)));
const configure = (req: rpc.ConfigureAnalyzerRequest) => new Promise<unknown>((ok, fail) => client.configure(req, settle(ok, fail)));

function analyzeRequest(type: string, name: string, props: Record<string, unknown>): rpc.AnalyzeRequest {
  return new rpc.AnalyzeRequest()
    .setType(type)
    .setName(name)
    .setUrn(`urn:pulumi:dev::user-aware-api::${type}::${name}`)
    .setProperties(Struct.fromJavaScript(props as Record<string, StructModule.JavaScriptValue>))
    .setOptions(new rpc.AnalyzerResourceOptions());
}

const analyze = async (type: string, name: string, props: Record<string, unknown>) =>
  (await new Promise<rpc.AnalyzeResponse>((ok, fail) => client.analyze(analyzeRequest(type, name, props), settle(ok, fail)))).getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    level: d.getEnforcementlevel(),
    message: d.getMessage(),
  }));

beforeAll(async () => {
  const port = await startPack();
  client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
});

afterAll(() => {
  client?.close();
  pack?.kill();
});

describe("policy/index.ts, started as the Pulumi CLI starts a policy pack", () => {
  it("serves pack user-aware-api-security with every policy of policies.ts, each mandatory, and the config schemas of the dev/prod knobs", async () => {
    const info = await getAnalyzerInfo();
    expect(info.getName()).toBe(PACK_NAME);
    expect(info.getVersion()).toBe(policyPackage.version);
    expect(info.getSupportsconfig()).toBe(true);
    const served = info.getPoliciesList();
    expect(served.map((p) => p.getName())).toEqual(policies.map((p) => p.name));
    for (const p of served) {
      expect(p.getEnforcementlevel(), p.getName()).toBe(rpc.EnforcementLevel.MANDATORY);
      expect(p.getDescription(), p.getName()).toMatch(/\S.{30,}\.$/);
    }
    const schemaOf = (name: string) =>
      served
        .find((p) => p.getName() === name)
        ?.getConfigschema()
        ?.getProperties()
        ?.toJavaScript();
    // Every knob policy/dev.json and policy/prod.json set is one the named policy declares.
    for (const config of [devPolicyConfig, prodPolicyConfig]) {
      for (const [policy, knobs] of Object.entries(config)) {
        for (const knob of Object.keys(knobs)) expect(schemaOf(policy), `${policy}.${knob}`).toHaveProperty(knob);
      }
    }
    expect(schemaOf("dynamodb-table-point-in-time-recovery")).toMatchObject({ requireProtection: { type: "boolean", default: true } });
    expect(schemaOf("ecs-tasks-no-public-ip")).toMatchObject({ allowPublicTaskIps: { type: "boolean", default: false } });
  });

  it("Analyze: an internet-facing load balancer is refused as mandatory, naming it; an internal one passes", async () => {
    expect(await analyze("aws:lb/loadBalancer:LoadBalancer", "public-alb", { internal: false, enableDeletionProtection: true })).toEqual([
      { policy: "load-balancer-internal", level: rpc.EnforcementLevel.MANDATORY, message: expect.stringContaining("'public-alb'") },
    ]);
    expect(await analyze("aws:lb/loadBalancer:LoadBalancer", "internal-alb", { internal: true, enableDeletionProtection: true })).toEqual([]);
  });

  it("Configure with policy/dev.json: a table without PITR is refused by default (production) and accepted under the dev config", async () => {
    const table = { billingMode: "PAY_PER_REQUEST", hashKey: "userId", pointInTimeRecovery: { enabled: false }, deletionProtectionEnabled: false };
    const strict = await analyze("aws:dynamodb/table:Table", "notes", table);
    expect(strict.map((d) => d.policy)).toEqual(["dynamodb-table-point-in-time-recovery", "dynamodb-table-deletion-protection"]);

    const request = new rpc.ConfigureAnalyzerRequest();
    for (const [policy, knobs] of Object.entries(devPolicyConfig)) {
      request
        .getPolicyconfigMap()
        .set(policy, new rpc.PolicyConfig().setEnforcementlevel(rpc.EnforcementLevel.MANDATORY).setProperties(Struct.fromJavaScript(knobs)));
    }
    await configure(request);
    expect(await analyze("aws:dynamodb/table:Table", "notes", table)).toEqual([]);
  });
});

it("policy/package.json (what the CLI installs for the pack) pins exactly the versions this repository's tests run it with", () => {
  for (const [name, pinned] of Object.entries(policyPackage.dependencies)) {
    const installed = (require(`${name}/package.json`) as { version: string }).version.replace(/^v/, "");
    expect(`${name}@${installed}`, "bump policy/package.json and run `npm install --package-lock-only` in policy/").toBe(`${name}@${pinned}`);
  }
});
