/**
 * Runs the policy pack's own policies (policy/policies.ts) over the resources the program
 * registered under mocks, the way the Pulumi CLI's analyzer does at preview — after
 * pulumi/pulumi-policy-aws `src/tests/util.ts`, but over a whole recorded stack:
 * - resource policies get `ResourceValidationArgs` with the resource's *inputs* as `props`, once
 *   per resource, and skip resources of other types (`validateResourceOfType` → not applicable);
 * - stack policies get `StackValidationArgs` whose `resources` carry the resource *state* (inputs
 *   plus the outputs the mocks answer), as AnalyzeStack does at the end of a preview;
 * - `getConfig()` answers the policy's entry of a `--policy-pack-config` file (policy/dev.json…);
 *   an entry's `enforcementLevel: "disabled"` skips the policy, as the CLI does.
 * Not modelled: `dependencies`/`propertyDependencies` (the pack does not read them) and unknown
 * values (everything is known under mocks; see docs/security.md for preview-time unknowns).
 */
import type {
  EnforcementLevel,
  Policies,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { outputsFor, type Recorded } from "./mocks";

/** A `--policy-pack-config` file: policy name → its config (and optionally its enforcement level). */
export type PackConfig = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

export interface Violation {
  readonly policy: string;
  readonly message: string;
  /** The offending resource's URN; empty when a stack policy blames the stack as a whole. */
  readonly urn: string;
}

/** The resource a policy can be run over: what the mocks recorded, or a deliberately broken copy. */
export type PolicyInput = Pick<Recorded, "type" | "name" | "inputs" | "protect" | "deleteBeforeReplace">;

export const urnOf = (stack: string, r: Pick<PolicyInput, "type" | "name">) => `urn:pulumi:${stack}::user-aware-api::${r.type}::${r.name}`;

class NotApplicable extends Error {}
const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

// biome-ignore lint/suspicious/noExplicitAny: the policy SDK's classes are `new (...rest: any[])`; no narrower constructor type is assignable to it.
type ResourceClass = { new (...rest: any[]): unknown; __pulumiType?: unknown; isInstance?: (o: unknown) => boolean };
/** The analyzer's `isTypeOf`: the class's `__pulumiType` against the resource's type token. */
function isTypeOf(type: string, cls: ResourceClass): boolean {
  if (typeof cls.__pulumiType === "string" && cls.__pulumiType.length > 0) return cls.__pulumiType === type;
  return typeof cls.isInstance === "function" && cls.isInstance({ __pulumiType: type }) === true;
}

function optionsOf(r: PolicyInput): PolicyResourceOptions {
  return {
    protect: r.protect,
    ignoreChanges: [],
    deleteBeforeReplace: r.deleteBeforeReplace,
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  };
}

const isResourcePolicy = (p: Policies[number]): p is ResourceValidationPolicy => "validateResource" in p && p.validateResource !== undefined;
const isStackPolicy = (p: Policies[number]): p is StackValidationPolicy => typeof (p as StackValidationPolicy).validateStack === "function";

/**
 * Every violation the pack reports for these resources under this config, in policy order.
 * `packLevel` is the pack's default enforcement level (policy/index.ts passes "mandatory").
 */
export async function runPack(
  policies: Policies,
  resources: readonly PolicyInput[],
  options: { stack: string; config?: PackConfig; packLevel?: EnforcementLevel },
): Promise<Violation[]> {
  const { stack, config = {}, packLevel = "mandatory" } = options;
  const violations: Violation[] = [];
  const getConfigFor =
    (policy: string) =>
    <T extends object>(): T => {
      const { enforcementLevel: _level, ...rest } = config[policy] ?? {};
      return rest as T;
    };

  for (const policy of policies) {
    const level = (config[policy.name]?.["enforcementLevel"] as EnforcementLevel | undefined) ?? policy.enforcementLevel ?? packLevel;
    if (level === "disabled") continue;

    if (isResourcePolicy(policy)) {
      const validations: ResourceValidation[] = Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource!];
      for (const r of resources) {
        const urn = urnOf(stack, r);
        const report: ReportViolation = (message) => void violations.push({ policy: policy.name, message, urn });
        const props = r.inputs;
        const args: ResourceValidationArgs = {
          type: r.type,
          props,
          urn,
          name: r.name,
          opts: optionsOf(r),
          stackTags: new Map(),
          isType: (cls) => isTypeOf(r.type, cls as ResourceClass),
          asType: ((cls: ResourceClass) => (isTypeOf(r.type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
          getConfig: getConfigFor(policy.name),
          notApplicable,
        };
        for (const validate of validations) await runIgnoringNotApplicable(() => validate(args, report));
      }
    }

    if (isStackPolicy(policy)) {
      const policyResources = resources.map((r): PolicyResource => {
        const props = { ...r.inputs, ...outputsFor(r.type, r.name, r.inputs) };
        return {
          type: r.type,
          props,
          urn: urnOf(stack, r),
          name: r.name,
          opts: optionsOf(r),
          dependencies: [],
          propertyDependencies: {},
          isType: (cls) => isTypeOf(r.type, cls as ResourceClass),
          asType: ((cls: ResourceClass) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
        };
      });
      const args: StackValidationArgs = { resources: policyResources, stackTags: new Map(), getConfig: getConfigFor(policy.name), notApplicable };
      const report: ReportViolation = (message, urn) => void violations.push({ policy: policy.name, message, urn: urn ?? "" });
      await runIgnoringNotApplicable(() => policy.validateStack(args, report));
    }
  }
  return violations;
}

async function runIgnoringNotApplicable(run: () => Promise<void> | void): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (!(e instanceof NotApplicable)) throw e;
  }
}

/** One line per violation, for a failing assertion's message. */
export const describeViolations = (vs: readonly Violation[]) => vs.map((v) => `${v.policy}: ${v.message}`).join("\n") || "(none)";
