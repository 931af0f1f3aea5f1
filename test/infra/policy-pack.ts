/**
 * The policy pack (policy/) over the program's own resources under mocks: the pack passes on the
 * stack as declared, and each deliberately broken copy of it (one resource changed, or one added)
 * makes exactly the expected policy report, naming the resource. `npm test` and
 * `pulumi preview --policy-pack policy` therefore enforce the same rules.
 */
import { expect, it } from "vitest";
import devPolicyConfig from "../../policy/dev.json";
import prodPolicyConfig from "../../policy/prod.json";
import { policies } from "../../policy/policies";
import { recorded, type Recorded, type ResourceInputs } from "./mocks";
import { describeViolations, runPack, urnOf, type PackConfig, type PolicyInput } from "./policy-harness";
import { T } from "./recorded";

/** The policy config a stack's CI passes with `--policy-pack-config` (policy/<stack>.json). */
export const POLICY_CONFIG: Readonly<Record<string, PackConfig>> = { dev: devPolicyConfig, prod: prodPolicyConfig };

export function policyConfigFor(stack: string): PackConfig {
  const config = POLICY_CONFIG[stack];
  if (!config) throw new Error(`no policy/${stack}.json`);
  return config;
}

/** The pack, with the stack's policy config, reports nothing on the program as declared. */
export function itPassesThePolicyPack(stack: string): void {
  it(`${stack}: the policy pack (policy/${stack}.json config) reports no violation on the program's resources`, async () => {
    expect(recorded.length).toBeGreaterThan(50);
    const violations = await runPack(policies, recorded, { stack, config: policyConfigFor(stack) });
    expect(violations, describeViolations(violations)).toEqual([]);
  });
}

/**
 * Without `--policy-pack-config` every stack is held to production rules: the dev stack as declared
 * then fails on exactly the knobs policy/dev.json relaxes, and nothing else.
 */
export function itFailsClosedWithoutPolicyConfig(stack: string): void {
  it(`${stack}: without a policy config, exactly the policies policy/${stack}.json relaxes report (production is the default)`, async () => {
    const violations = await runPack(policies, recorded, { stack });
    expect([...new Set(violations.map((v) => v.policy))].sort(), describeViolations(violations)).toEqual(Object.keys(policyConfigFor(stack)).sort());
  });
}

/** A copy of the recorded resources with one broken (or added); `target` is the resource to blame. */
interface Mutated {
  readonly resources: PolicyInput[];
  readonly target: PolicyInput;
}

const copy = <V>(v: V): V => structuredClone(v);
const without = ({ transforms: _transforms, ...r }: Recorded): PolicyInput & { urn: string } => copy(r);

/** Replace the first resource of `type` matching `pick` by a deep copy changed by `change`. */
function breakOne(type: string, change: (inputs: ResourceInputs) => void, pick: (r: Recorded) => boolean = () => true): Mutated {
  const index = recorded.findIndex((r) => r.type === type && pick(r));
  if (index < 0) throw new Error(`no ${type} to break`);
  const resources: PolicyInput[] = recorded.map(without);
  const target = resources[index]!;
  change(target.inputs);
  return { resources, target };
}

/** Add one resource to a copy of the recorded ones. */
function addOne(type: string, name: string, inputs: Record<string, unknown>): Mutated {
  const target: PolicyInput = { type, name, inputs, protect: false, deleteBeforeReplace: false };
  return { resources: [...recorded.map(without), target], target };
}

const routeMethod = (r: Recorded) => r.inputs["httpMethod"] !== "OPTIONS";
const tasksFromAlb = (r: Recorded) => r.name.endsWith("tasks-from-alb");
const taskPolicyDocument = (change: (doc: { Statement: Record<string, unknown>[] }) => void) => (inputs: ResourceInputs) => {
  const doc = JSON.parse(inputs["policy"]);
  change(doc);
  inputs["policy"] = JSON.stringify(doc);
};
/** The task role's statement on the table itself (not the one on its pending-deletions index). */
const onTheTable = (s: Record<string, unknown>): boolean => String(s["Action"]).includes("dynamodb:") && !String(s["Resource"]).includes("/index/");

export interface MutationCase {
  /** What is broken, in the words of the test title. */
  readonly what: string;
  /** The one policy that must report it. */
  readonly policy: string;
  readonly mutate: () => Mutated;
}

/** Breakages every stack must refuse, whatever its policy config. */
export const MUTATIONS: readonly MutationCase[] = [
  {
    what: "a route method without the authorizer (authorization NONE, no authorizerId)",
    policy: "apigateway-method-cognito-authorizer",
    mutate: () =>
      breakOne(
        T.method,
        (i) => {
          i["authorization"] = "NONE";
          delete i["authorizerId"];
        },
        routeMethod,
      ),
  },
  {
    what: "a route method with OAuth scopes (access tokens would pass)",
    policy: "apigateway-method-cognito-authorizer",
    mutate: () =>
      breakOne(
        T.method,
        (i) => {
          i["authorizationScopes"] = ["aws.cognito.signin.user.admin"];
        },
        routeMethod,
      ),
  },
  {
    what: "a route method that does not declare the Authorization header",
    policy: "apigateway-method-declares-authorization",
    mutate: () =>
      breakOne(
        T.method,
        (i) => {
          delete i["requestParameters"]["method.request.header.Authorization"];
        },
        routeMethod,
      ),
  },
  {
    what: "an integration without the Authorization mapping",
    policy: "apigateway-integration-forwards-authorization",
    mutate: () =>
      breakOne(
        T.integration,
        (i) => {
          delete i["requestParameters"]["integration.request.header.Authorization"];
        },
        routeMethod,
      ),
  },
  {
    what: "an integration to a public URL (connectionType INTERNET)",
    policy: "apigateway-integration-private-proxy",
    mutate: () =>
      breakOne(
        T.integration,
        (i) => {
          i["connectionType"] = "INTERNET";
          delete i["connectionId"];
        },
        routeMethod,
      ),
  },
  {
    what: "a Lambda TOKEN authorizer instead of the Cognito one",
    policy: "apigateway-authorizer-cognito",
    mutate: () =>
      breakOne(T.authorizer, (i) => {
        i["type"] = "TOKEN";
      }),
  },
  {
    what: "an ingress rule open to the IPv4 internet (cidrIpv4 0.0.0.0/0)",
    policy: "security-group-no-internet-ingress",
    mutate: () =>
      breakOne(
        T.ingress,
        (i) => {
          delete i["referencedSecurityGroupId"];
          i["cidrIpv4"] = "0.0.0.0/0";
        },
        tasksFromAlb,
      ),
  },
  {
    what: "an ingress rule open to the IPv6 internet (cidrIpv6 ::/0)",
    policy: "security-group-no-internet-ingress",
    mutate: () =>
      breakOne(
        T.ingress,
        (i) => {
          delete i["referencedSecurityGroupId"];
          i["cidrIpv6"] = "::/0";
        },
        tasksFromAlb,
      ),
  },
  {
    what: "a security group with inline ingress from 0.0.0.0/0 and ::/0",
    policy: "security-group-no-internet-ingress",
    mutate: () =>
      breakOne(
        T.sg,
        (i) => {
          i["ingress"] = [{ protocol: "tcp", fromPort: 8080, toPort: 8080, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] }];
        },
        (r) => r.name.endsWith("tasks-sg"),
      ),
  },
  {
    what: "an aws.ec2.SecurityGroupRule of type ingress from ::/0",
    policy: "security-group-no-internet-ingress",
    mutate: () =>
      addOne("aws:ec2/securityGroupRule:SecurityGroupRule", "debug-ssh", {
        type: "ingress",
        protocol: "tcp",
        fromPort: 22,
        toPort: 22,
        ipv6CidrBlocks: ["::/0"],
        securityGroupId: "sg-tasks",
      }),
  },
  {
    what: "an internet-facing load balancer (internal false)",
    policy: "load-balancer-internal",
    mutate: () =>
      breakOne(T.lb, (i) => {
        i["internal"] = false;
      }),
  },
  {
    what: "a task-role policy with dynamodb:*",
    policy: "iam-no-wildcard-permissions",
    mutate: () =>
      breakOne(
        T.rolePolicy,
        taskPolicyDocument((doc) => {
          for (const s of doc.Statement) if (onTheTable(s)) s["Action"] = "dynamodb:*";
        }),
      ),
  },
  {
    what: "a task-role policy on every table (table/*)",
    policy: "iam-dynamodb-one-table",
    mutate: () =>
      breakOne(
        T.rolePolicy,
        taskPolicyDocument((doc) => {
          for (const s of doc.Statement) if (onTheTable(s)) s["Resource"] = String(s["Resource"]).replace(/table\/.*$/, "table/*");
        }),
      ),
  },
  {
    what: "an app client with a secret",
    policy: "cognito-client-no-secret",
    mutate: () =>
      breakOne(T.client, (i) => {
        i["generateSecret"] = true;
      }),
  },
  {
    what: "a Deployment without triggers",
    policy: "apigateway-one-deployment-with-triggers",
    mutate: () =>
      breakOne(T.deployment, (i) => {
        delete i["triggers"];
      }),
  },
  {
    what: "a second Deployment",
    policy: "apigateway-one-deployment-with-triggers",
    mutate: () => addOne(T.deployment, "api-deployment-2", { restApi: "api-rest-id", triggers: { redeployment: "x" } }),
  },
  {
    what: "a Stage without access logs",
    policy: "apigateway-one-stage-with-access-logs",
    mutate: () =>
      breakOne(T.stage, (i) => {
        delete i["accessLogSettings"];
      }),
  },
  {
    what: "MethodSettings without throttling",
    policy: "apigateway-stage-throttled",
    mutate: () =>
      breakOne(T.methodSettings, (i) => {
        i["settings"] = { ...i["settings"], throttlingRateLimit: undefined, throttlingBurstLimit: undefined };
      }),
  },
];

/** Breakages only a production policy config refuses. */
export const PROD_MUTATIONS: readonly MutationCase[] = [
  {
    what: "prod without PITR on the table",
    policy: "dynamodb-table-point-in-time-recovery",
    mutate: () =>
      breakOne(T.table, (i) => {
        i["pointInTimeRecovery"] = { enabled: false };
      }),
  },
  {
    what: "prod without deletion protection on the table",
    policy: "dynamodb-table-deletion-protection",
    mutate: () =>
      breakOne(T.table, (i) => {
        i["deletionProtectionEnabled"] = false;
      }),
  },
  {
    what: "prod with an unprotected user pool (deletionProtection INACTIVE)",
    policy: "cognito-pool-deletion-protection",
    mutate: () =>
      breakOne(T.pool, (i) => {
        i["deletionProtection"] = "INACTIVE";
      }),
  },
  {
    what: "prod without deletion protection on the load balancer",
    policy: "load-balancer-deletion-protection",
    mutate: () =>
      breakOne(T.lb, (i) => {
        i["enableDeletionProtection"] = false;
      }),
  },
  {
    what: "prod tasks with a public IP",
    policy: "ecs-tasks-no-public-ip",
    mutate: () =>
      breakOne(T.fargate, (i) => {
        i["networkConfiguration"] = { ...i["networkConfiguration"], assignPublicIp: true };
      }),
  },
];

/** Each mutation makes exactly its policy report one violation naming the resource. */
export function itRefusesEachMutation(stack: string, cases: readonly MutationCase[]): void {
  it.each(cases.map((c) => [c.what, c] as const))(`${stack}: %s → only its policy reports it, naming the resource`, async (_what, c) => {
    const { resources, target } = c.mutate();
    const violations = await runPack(policies, resources, { stack, config: policyConfigFor(stack) });
    expect(
      violations.map((v) => v.policy),
      describeViolations(violations),
    ).toEqual([c.policy]);
    const [violation] = violations;
    expect(violation!.message).toContain(`'${target.name}'`);
    // Resource policies are blamed on the resource; stack policies name it in the message.
    if (violation!.urn !== "") expect(violation!.urn).toBe(urnOf(stack, target));
  });
}
