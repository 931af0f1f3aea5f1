/**
 * Pulumi mocks for the infra tests: record every resource the program registers (type, name,
 * inputs, and the options `dependsOn`, `deleteBeforeReplace`, `protect`, `retainOnDelete`,
 * `transforms`) and answer the outputs that the program reads from opaque awsx components and
 * provider functions. Set up before the program is imported.
 */
import yaml from "js-yaml";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "vitest";
import { ConfigError, parseConfig } from "../../infra/config";

export const REGION = "us-east-1";
export const ACCOUNT = "123456789012";

/**
 * A resource's inputs as the mocks receive them (and JSON the program built from them): whatever the
 * program passed, walked by the invariants the way a policy reads them. `any`, not `unknown`: the
 * tests read nested fields and let a missing one fail the assertion; narrowing each would bury it.
 */
// biome-ignore lint/suspicious/noExplicitAny: untyped resource inputs, as explained above.
export type ResourceInputs = Record<string, any>;

export interface Recorded {
  readonly type: string;
  readonly name: string;
  /** `type::name`: how a failing test names the offending resource. */
  readonly urn: string;
  readonly inputs: ResourceInputs;
  /** Names of the resources given in `dependsOn` (from a stack transformation). */
  readonly dependsOn: readonly string[];
  readonly deleteBeforeReplace: boolean;
  /** The `transforms` option: callbacks applied to the resource's children. */
  readonly transforms: readonly pulumi.ResourceTransform[];
  /** The `protect` and `retainOnDelete` options (policies see `protect` only). */
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
}

export const recorded: Recorded[] = [];
type RecordedOptions = Pick<Recorded, "dependsOn" | "deleteBeforeReplace" | "transforms" | "protect" | "retainOnDelete">;
const NO_OPTIONS: RecordedOptions = { dependsOn: [], deleteBeforeReplace: false, transforms: [], protect: false, retainOnDelete: false };
const optionsByName = new Map<string, RecordedOptions>();

/** Outputs a real deployment would produce, for what the program reads back. */
export function outputsFor(type: string, name: string, inputs: ResourceInputs): Record<string, unknown> {
  const arn = `arn:aws:${type.split(":")[1] ?? "x"}:${REGION}:${ACCOUNT}:${name}`;
  switch (type) {
    case "awsx:ec2:Vpc":
      return vpcOutputs(name, inputs);
    case "awsx:ecs:FargateService":
      return { service: { name: `${name}-svc`, arn: `${arn}-svc` }, taskDefinition: { arn: `${arn}-td` } };
    case "awsx:ecr:Repository":
      return { url: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}` };
    case "awsx:ecr:Image":
      return { imageUri: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/${name}@sha256:0000` };
    case "aws:lb/loadBalancer:LoadBalancer":
      return { arn, dnsName: `internal-${name}.${REGION}.elb.amazonaws.com`, arnSuffix: `app/${name}/abc` };
    case "aws:lb/targetGroup:TargetGroup":
      return { arn, arnSuffix: `targetgroup/${name}/def` };
    case "aws:apigateway/restApi:RestApi":
      return { rootResourceId: `${name}-root`, executionArn: `arn:aws:execute-api:${REGION}:${ACCOUNT}:${name}`, name: inputs["name"] ?? `${name}-autonamed` };
    case "aws:apigateway/stage:Stage":
      // The provider's stage ARN (what WAF associations take).
      return { arn: `arn:aws:apigateway:${REGION}::/restapis/${inputs["restApi"]}/stages/${inputs["stageName"]}` };
    case "aws:apigateway/domainName:DomainName":
      return {
        arn: `arn:aws:apigateway:${REGION}::/domainnames/${inputs["domainName"]}`,
        regionalDomainName: `d-${name}.execute-api.${REGION}.amazonaws.com`,
        regionalZoneId: "Z1UJRXOUMOOFQ8",
      };
    case "aws:wafv2/webAcl:WebAcl":
      return { arn: `arn:aws:wafv2:${REGION}:${ACCOUNT}:regional/webacl/${inputs["name"]}/${name}-id` };
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      return { arn: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:${inputs["name"]}` };
    case "aws:sns/topic:Topic":
      return { arn: `arn:aws:sns:${REGION}:${ACCOUNT}:${name}` };
    case "aws:cognito/userPool:UserPool":
      return { arn: `arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${name}` };
    case "aws:dynamodb/table:Table":
      return { arn: `arn:aws:dynamodb:${REGION}:${ACCOUNT}:table/${name}`, name: inputs["name"] ?? `${name}-table` };
    case "aws:ecs/cluster:Cluster":
      return { arn, name: `${name}-cluster` };
    case "aws:cloudwatch/logGroup:LogGroup":
      return { arn: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${name}`, name: `${name}-lg` };
    case "aws:iam/role:Role":
      return { arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, name };
    default:
      return { arn };
  }
}

/**
 * What awsx's Vpc (pulumi-awsx `awsx/ec2/vpc.ts`) returns for the default layout in 2 AZs: a
 * public and a private subnet per AZ, each with a route table of its own and its association;
 * NAT gateways (each with an EIP) by strategy — none for `None`, one for `Single`, one per AZ for
 * `OnePerAz` (default). Subnets, route tables and associations come back as resources; here as plain
 * objects with the outputs the program reads.
 */
function vpcOutputs(name: string, inputs: ResourceInputs): Record<string, unknown> {
  const azs = ["a", "b"];
  const strategy: string = inputs["natGateways"]?.strategy ?? "OnePerAz";
  const nats = strategy === "None" ? 0 : strategy === "Single" ? 1 : azs.length;
  const subnetIds = (kind: string) => azs.map((az) => `${name}-${kind}-${az}`);
  const all = [...subnetIds("private"), ...subnetIds("public")];
  return {
    vpcId: `${name}-vpc-id`,
    privateSubnetIds: subnetIds("private"),
    publicSubnetIds: subnetIds("public"),
    isolatedSubnetIds: [],
    routeTables: all.map((subnet) => ({ id: `${subnet}-rt` })),
    routeTableAssociations: all.map((subnet) => ({ id: `${subnet}-rta`, subnetId: subnet, routeTableId: `${subnet}-rt` })),
    natGateways: azs.slice(0, nats).map((az) => ({ id: `${name}-nat-${az}`, subnetId: `${name}-public-${az}` })),
    eips: azs.slice(0, nats).map((az) => ({ id: `${name}-eip-${az}` })),
  };
}

/** Stack config as `pulumi config` hands it to a program: every value a string, lists as JSON. */
export function readStackConfig(stack: string): Record<string, string> {
  const file = path.resolve(__dirname, "../..", `Pulumi.${stack}.yaml`);
  const doc = yaml.load(readFileSync(file, "utf8")) as { config?: Record<string, unknown> };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc.config ?? {})) out[k] = typeof v === "string" ? v : JSON.stringify(v);
  return out;
}

/** Install mocks and config. Call before importing the program (or constructing components). */
export async function setupMocks(stack: string, config: Record<string, string>): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const state = { ...args.inputs, ...outputsFor(args.type, args.name, args.inputs) };
        recorded.push({
          type: args.type,
          name: args.name,
          urn: `${args.type}::${args.name}`,
          inputs: args.inputs,
          ...(optionsByName.get(`${args.type}::${args.name}`) ?? NO_OPTIONS),
        });
        return { id: `${args.name}-id`, state };
      },
      call(args) {
        switch (args.token) {
          case "aws:index/getRegion:getRegion":
            return { id: REGION, name: REGION, region: REGION, endpoint: `ec2.${REGION}.amazonaws.com`, description: "US East (N. Virginia)" };
          case "aws:index/getPartition:getPartition":
            return { id: "aws", partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws" };
          case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: ACCOUNT, arn: `arn:aws:iam::${ACCOUNT}:user/test`, userId: "test", id: ACCOUNT };
          case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return { names: [`${REGION}a`, `${REGION}b`, `${REGION}c`], zoneIds: ["use1-az1", "use1-az2", "use1-az3"] };
          default:
            return args.inputs;
        }
      },
    },
    "user-aware-api",
    stack,
    false,
  );
  pulumi.runtime.setAllConfig(config);
}

/**
 * Run `init` (e.g. `() => import("../../infra/index")`) as the stack's program, with a stack
 * transformation that records each resource's `dependsOn`, `deleteBeforeReplace`, `protect` and
 * `retainOnDelete` (mocks do not see options). Resolves to the stack outputs as plain values, once
 * every resource is registered.
 */
export async function runProgram(init: () => Promise<object>): Promise<Record<string, unknown>> {
  const outputs = await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((t) => {
      const deps = t.opts.dependsOn;
      const list = deps === undefined ? [] : Array.isArray(deps) ? deps : [deps];
      optionsByName.set(`${t.type}::${t.name}`, {
        dependsOn: list.map((d) => (d as unknown as { __name?: string }).__name ?? "?"),
        deleteBeforeReplace: (t.opts as pulumi.CustomResourceOptions).deleteBeforeReplace === true,
        transforms: t.opts.transforms ?? [],
        protect: t.opts.protect === true,
        retainOnDelete: (t.opts as pulumi.CustomResourceOptions).retainOnDelete === true,
      });
      return undefined;
    });
    return { ...(await init()) };
  });
  await settled();
  return outputs as Record<string, unknown>;
}

export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Wait until no new resource has been registered for a few ticks. */
export async function settled(): Promise<Recorded[]> {
  let last = -1;
  let stable = 0;
  while (stable < 5) {
    await new Promise((r) => setTimeout(r, 20));
    if (recorded.length === last) stable++;
    else {
      last = recorded.length;
      stable = 0;
    }
  }
  return recorded;
}

export function ofType(type: string): Recorded[] {
  return recorded.filter((r) => r.type === type);
}

/** A stack file's `user-aware-api:*` config by bare key, as parseConfig takes it. */
export function bareStackConfig(stack: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(readStackConfig(stack))
      .filter(([k]) => k.startsWith("user-aware-api:"))
      .map(([k, v]) => [k.slice("user-aware-api:".length), v]),
  );
}

/** The issues parseConfig names for `raw` (failing the test if it accepts it). */
export function configIssuesOf(raw: Record<string, unknown>): string[] {
  try {
    parseConfig(raw);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).issues];
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be rejected`);
}
