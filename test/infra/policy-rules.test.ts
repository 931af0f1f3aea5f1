/**
 * The pack's rules on shapes the program does not declare today but a change could: other
 * resource classes for the same thing (classic ELB, aws.alb, SecurityGroupRule, ecs.Service),
 * other spellings of the same grant (an object document, a single Statement, NotAction), the
 * account-deletion permissions (docs/architecture.md#account-lifecycle), and the edges of "open to the internet".
 */
import { describe, expect, it } from "vitest";
import devPolicyConfig from "../../policy/dev.json";
import { isPrivateCidr } from "../../policy/network";
import { TABLE_ACTIONS } from "../../infra/backend/task-permissions";
import { policies } from "../../policy/policies";
import { runPack, type PackConfig, type PolicyInput } from "./policy-harness";

const resource = (type: string, name: string, inputs: Record<string, unknown>): PolicyInput => ({
  type,
  name,
  inputs,
  protect: false,
  deleteBeforeReplace: false,
});
/** `policy` of each violation for these resources (no REST API: the stack policies do not apply). */
const reported = async (resources: PolicyInput[], config: PackConfig = {}) =>
  (await runPack(policies, resources, { stack: "test", config })).map((v) => v.policy);

const TABLE = "arn:aws:dynamodb:us-east-1:123456789012:table/data-notes";
const POOL = "arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_abc";
const rolePolicy = (policy: unknown) => resource("aws:iam/rolePolicy:RolePolicy", "task-policy", { role: "task-role", policy });

describe("security-group-no-internet-ingress: what counts as the internet", () => {
  it.each([
    ["0.0.0.0/0", false],
    ["::/0", false],
    ["0::/0", false],
    ["0.0.0.0/1", false],
    ["203.0.113.7/32", false],
    ["2001:db8::/32", false],
    ["10.0.0.0/7", false],
    ["fc00::/6", false],
    ["not-a-cidr", false],
    ["10.0.0.0/x", false],
    ["10.0.0.0/16", true],
    ["10.1.2.3", true],
    ["172.16.0.0/12", true],
    ["172.31.255.0/24", true],
    ["192.168.1.5/32", true],
    ["fd12:3456::/48", true],
    ["172.32.0.0/16", false],
  ])("%s private: %s", (cidr, isPrivate) => {
    expect(isPrivateCidr(cidr)).toBe(isPrivate);
  });

  it("a private CIDR (the VPC's) is admitted; egress to 0.0.0.0/0 is not ingress", async () => {
    expect(
      await reported([
        resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "from-vpc", {
          securityGroupId: "sg",
          ipProtocol: "tcp",
          fromPort: 80,
          toPort: 80,
          cidrIpv4: "10.0.0.0/16",
        }),
        resource("aws:ec2/securityGroupRule:SecurityGroupRule", "egress-all", {
          type: "egress",
          securityGroupId: "sg",
          protocol: "-1",
          fromPort: 0,
          toPort: 0,
          cidrBlocks: ["0.0.0.0/0"],
        }),
      ]),
    ).toEqual([]);
  });
});

describe("load balancers and tasks", () => {
  it("an aws.alb.LoadBalancer without `internal` and a classic ELB with internal false are internet-facing", async () => {
    expect(
      await reported([
        resource("aws:alb/loadBalancer:LoadBalancer", "alias-alb", { enableDeletionProtection: true }),
        resource("aws:elb/loadBalancer:LoadBalancer", "classic", { internal: false, listeners: [] }),
      ]),
    ).toEqual(["load-balancer-internal", "load-balancer-internal"]);
  });

  it("an ecs.Service with assignPublicIp is refused by default and allowed by policy/dev.json (dev layout without NAT)", async () => {
    const service = resource("aws:ecs/service:Service", "svc", { networkConfiguration: { subnets: ["public-a"], assignPublicIp: true } });
    expect(await reported([service])).toEqual(["ecs-tasks-no-public-ip"]);
    expect(await reported([service], devPolicyConfig)).toEqual([]);
  });

  it("an awsx FargateService without networkConfiguration (default VPC, group open to the internet) is refused even in dev", async () => {
    const service = resource("awsx:ecs:FargateService", "svc", { desiredCount: 1 });
    expect(await reported([service], devPolicyConfig)).toEqual(["ecs-tasks-no-public-ip"]);
  });
});

describe("IAM documents", () => {
  it("an object document with a single Statement: Action '*' on Resource '*' and an Allow NotAction are refused; a Deny '*' is not", async () => {
    expect(
      await reported([
        rolePolicy({
          Version: "2012-10-17",
          Statement: { Effect: "Allow", Action: "*", Resource: "*" },
        }),
      ]),
    ).toEqual(["iam-no-wildcard-permissions", "iam-no-wildcard-permissions"]);
    expect(await reported([rolePolicy({ Statement: [{ Effect: "Allow", NotAction: "iam:PassRole", Resource: TABLE }] })])).toEqual([
      "iam-no-wildcard-permissions",
    ]);
    expect(await reported([rolePolicy({ Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] })])).toEqual([]);
  });

  it("a document that is not JSON is refused (the pack cannot vouch for it)", async () => {
    expect(await reported([rolePolicy("{not json")])).toEqual(["iam-no-wildcard-permissions"]);
  });

  it("the task role's grants (item actions with the transaction's ConditionCheckItem on the table, AdminDeleteUser on the pool, own statements) pass", async () => {
    expect(
      await reported([
        rolePolicy(
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              { Effect: "Allow", Action: [...TABLE_ACTIONS], Resource: TABLE },
              { Effect: "Allow", Action: "cognito-idp:AdminDeleteUser", Resource: POOL },
            ],
          }),
        ),
      ]),
    ).toEqual([]);
  });

  it("Query on one named index of the same table passes (the reaper's grant)", async () => {
    const doc = (...Statement: object[]) => rolePolicy(JSON.stringify({ Statement }));
    expect(
      await reported([
        doc(
          { Effect: "Allow", Action: ["dynamodb:GetItem", "dynamodb:Query"], Resource: TABLE },
          { Effect: "Allow", Action: ["dynamodb:Query"], Resource: `${TABLE}/index/pendingDeletions` },
        ),
      ]),
    ).toEqual([]);
  });

  it("DynamoDB actions on two tables, on a table and the pool in one statement, on every index, on another table's index, or other than Query on an index are refused", async () => {
    const doc = (...Statement: object[]) => rolePolicy(JSON.stringify({ Statement }));
    expect(
      await reported([
        doc({ Effect: "Allow", Action: "dynamodb:GetItem", Resource: TABLE }, { Effect: "Allow", Action: "dynamodb:PutItem", Resource: `${TABLE}-other` }),
      ]),
    ).toEqual(["iam-dynamodb-one-table"]);
    expect(await reported([doc({ Effect: "Allow", Action: ["dynamodb:DeleteItem", "cognito-idp:AdminDeleteUser"], Resource: [TABLE, POOL] })])).toEqual([
      "iam-dynamodb-one-table",
    ]);
    expect(await reported([doc({ Effect: "Allow", Action: "dynamodb:Query", Resource: `${TABLE}/index/*` })])).toEqual(["iam-dynamodb-one-table"]);
    expect(await reported([doc({ Effect: "Allow", Action: ["dynamodb:Query", "dynamodb:GetItem"], Resource: `${TABLE}/index/byDate` })])).toEqual([
      "iam-dynamodb-one-table",
    ]);
    expect(
      await reported([
        doc(
          { Effect: "Allow", Action: "dynamodb:GetItem", Resource: TABLE },
          { Effect: "Allow", Action: "dynamodb:Query", Resource: `${TABLE}-other/index/byDate` },
        ),
      ]),
    ).toEqual(["iam-dynamodb-one-table"]);
  });

  it("a managed aws.iam.Policy and a Role's inlinePolicies are held to the same bar", async () => {
    expect(
      await reported([
        resource("aws:iam/policy:Policy", "managed", { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "dynamodb:*", Resource: TABLE }] }) }),
        resource("aws:iam/role:Role", "role", {
          assumeRolePolicy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
          inlinePolicies: [{ name: "inline", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }) }],
        }),
      ]),
    ).toEqual(["iam-no-wildcard-permissions", "iam-no-wildcard-permissions"]);
  });
});

describe("API Gateway", () => {
  it("an OPTIONS method without an authorizer passes, but an OPTIONS that proxies to the backend must map Authorization like any route", async () => {
    expect(
      await reported([
        resource("aws:apigateway/method:Method", "options", { httpMethod: "OPTIONS", authorization: "NONE", requestParameters: {} }),
        resource("aws:apigateway/integration:Integration", "options-mock", { httpMethod: "OPTIONS", type: "MOCK" }),
      ]),
    ).toEqual([]);
    expect(
      await reported([
        resource("aws:apigateway/integration:Integration", "options-proxy", {
          httpMethod: "OPTIONS",
          type: "HTTP_PROXY",
          connectionType: "VPC_LINK",
          connectionId: "vl",
        }),
      ]),
    ).toEqual(["apigateway-integration-forwards-authorization"]);
  });

  it("an authorizer reading another header is refused; an unset identitySource is the Authorization header", async () => {
    const authorizer = (identitySource?: string) =>
      resource("aws:apigateway/authorizer:Authorizer", "cognito", { type: "COGNITO_USER_POOLS", providerArns: [POOL], identitySource });
    expect(await reported([authorizer("method.request.header.X-Token")])).toEqual(["apigateway-authorizer-cognito"]);
    expect(await reported([authorizer(undefined)])).toEqual([]);
  });

  it("without a REST API the stack-wide API rules do not apply", async () => {
    expect(await reported([resource("aws:dynamodb/table:Table", "t", { pointInTimeRecovery: { enabled: true }, deletionProtectionEnabled: true })])).toEqual(
      [],
    );
  });
});
