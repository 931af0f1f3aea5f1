/**
 * Pulumi mocks for the bootstrap program (its own project, user-aware-api-bootstrap): record every
 * resource with its inputs and answer the ARNs IAM would. Set up before the program is imported.
 */
import yaml from "js-yaml";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

export const ACCOUNT = "123456789012";
export const PROJECT = "user-aware-api-bootstrap";

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

export const recorded: RecordedResource[] = [];

export function arnFor(type: string, name: string, inputs: Record<string, unknown>): string {
  switch (type) {
    case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
      return `arn:aws:iam::${ACCOUNT}:oidc-provider/${String(inputs["url"]).replace(/^https:\/\//, "")}`;
    case "aws:iam/role:Role":
      return `arn:aws:iam::${ACCOUNT}:role${inputs["path"] ?? "/"}${name}`;
    default:
      return `arn:aws:${type.split(":")[1]}::${ACCOUNT}:${name}`;
  }
}

/** A bootstrap stack file's config as Pulumi hands it to the program: strings, lists as JSON. */
export function readBootstrapStackFile(file = "Pulumi.example.yaml"): Record<string, string> {
  const doc = yaml.load(readFileSync(path.join(__dirname, "../../bootstrap", file), "utf8")) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(doc.config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

export async function setupBootstrapMocks(config: Record<string, string>): Promise<void> {
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        recorded.push({ type: args.type, name: args.name, inputs: args.inputs });
        return { id: `${args.name}-id`, state: { ...args.inputs, arn: arnFor(args.type, args.name, args.inputs), name: args.name } };
      },
      call(args) {
        return args.inputs;
      },
    },
    PROJECT,
    "account",
    false,
  );
  pulumi.runtime.setAllConfig(config);
}

/** Run the program; resolve to its outputs as plain values once every resource is registered. */
export async function runBootstrap(): Promise<Record<string, unknown>> {
  const outputs = await pulumi.runtime.runInPulumiStack(async () => ({ ...(await import("../../bootstrap/index")) }));
  let last = -1;
  for (let stable = 0; stable < 5; ) {
    await new Promise((r) => setTimeout(r, 20));
    if (recorded.length === last) stable++;
    else {
      last = recorded.length;
      stable = 0;
    }
  }
  return outputs as Record<string, unknown>;
}

export const ofType = (type: string) => recorded.filter((r) => r.type === type);
