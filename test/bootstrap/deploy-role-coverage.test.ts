/**
 * The deploy role keeps up with the program: every AWS service whose resources infra/ creates is
 * allowed by the deploy role's policy, so a new kind of resource fails here, not in a deploy.
 */
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { expect, it } from "vitest";
import { deployPolicy } from "../../bootstrap/role-permissions";

const INFRA = path.join(__dirname, "../../infra");

/** The IAM service a resource class of @pulumi/aws or @pulumi/awsx is managed through. */
const SERVICE_OF: Readonly<Record<string, string>> = {
  "aws.apigateway": "apigateway",
  "aws.apigatewayv2": "apigateway",
  "aws.appautoscaling": "application-autoscaling",
  "aws.cloudwatch.LogGroup": "logs",
  "aws.cloudwatch.LogMetricFilter": "logs",
  "aws.cloudwatch.LogSubscriptionFilter": "logs",
  "aws.cloudwatch": "cloudwatch",
  "aws.cognito": "cognito-idp",
  "aws.dynamodb": "dynamodb",
  "aws.ec2": "ec2",
  "aws.vpc": "ec2",
  "aws.ecs": "ecs",
  "aws.ecr": "ecr",
  "aws.iam": "iam",
  "aws.lb": "elasticloadbalancing",
  "aws.route53": "route53",
  "aws.sns": "sns",
  "aws.wafv2": "wafv2",
  "awsx.ec2": "ec2",
  "awsx.ecr": "ecr",
  "awsx.ecs": "ecs",
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

/** Every `new aws.<module>.<Class>` / `new awsx.<module>.<Class>` in infra/. */
function resourceClasses(): string[] {
  const found = tsFiles(INFRA).flatMap((f) => [...readFileSync(f, "utf8").matchAll(/new (awsx?)\.(\w+)\.(\w+)\(/g)].map((m) => `${m[1]}.${m[2]}.${m[3]}`));
  return [...new Set(found)].sort();
}

const serviceOf = (cls: string) => SERVICE_OF[cls] ?? SERVICE_OF[cls.split(".").slice(0, 2).join(".")];

/** Does the policy allow some action of `service` (a wildcard or a named action)? */
function allowsService(service: string): boolean {
  return deployPolicy("us-east-1")
    .Statement.filter((s) => s.Effect === "Allow")
    .some((s) => s.Action.some((a) => a.startsWith(`${service}:`)));
}

it("every AWS service the program creates resources in is allowed by the deploy role", () => {
  const classes = resourceClasses();
  expect(classes.length).toBeGreaterThan(20);
  const unmapped = classes.filter((c) => serviceOf(c) === undefined);
  expect(unmapped, "a resource class of a service the deploy role does not know yet: add it to bootstrap/role-permissions.ts and here").toEqual([]);
  const missing = classes.filter((c) => !allowsService(serviceOf(c)!));
  expect(missing).toEqual([]);
});

it("every regional service is allowed in the stack's region only", () => {
  for (const s of deployPolicy("eu-west-1").Statement.filter((st) => st.Effect === "Allow")) {
    const global = s.Action.every((a) => a.startsWith("iam:") || a.startsWith("route53:"));
    if (!global) expect(s.Condition?.["StringEquals"]?.["aws:RequestedRegion"], s.Sid).toBe("eu-west-1");
  }
});
