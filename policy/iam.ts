/**
 * Least privilege for the task role (docs/architecture.md#infrastructure-invariants, #account-lifecycle). The task role's
 * permissions are the stack's only IAM policy documents (inline RolePolicy, managed Policy, or a
 * Role's inlinePolicies), so these rules hold every document the stack declares to that bar: no
 * wildcard action or resource, no NotAction/NotResource in an Allow, and DynamoDB actions only on
 * exactly one table ARN. Roles that need AWS-managed policies (the API Gateway CloudWatch role, the
 * task execution role awsx creates) attach them by ARN, which declares no document here.
 */
import * as aws from "@pulumi/aws";
import { type ReportViolation, type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

/** One statement of an IAM policy document, as far as these rules read it. */
export interface Statement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Action?: string | readonly string[];
  readonly NotAction?: string | readonly string[];
  readonly Resource?: string | readonly string[];
  readonly NotResource?: string | readonly string[];
}

/** A policy document as Pulumi passes it: a JSON string or an object (`aws.iam.PolicyDocument`). */
export type PolicyDocumentInput = string | { Statement?: Statement | readonly Statement[] } | undefined;

const list = (v: string | readonly string[] | undefined): readonly string[] => (v === undefined ? [] : typeof v === "string" ? [v] : v);

/** The statements of a document, or an error message if it cannot be read (fail closed). */
export function statementsOf(document: PolicyDocumentInput): Statement[] | string {
  let doc: unknown = document;
  if (typeof document === "string") {
    try {
      doc = JSON.parse(document);
    } catch {
      return "its policy is not valid JSON";
    }
  }
  if (doc === undefined || doc === null || typeof doc !== "object") return "it has no policy document";
  const statements = (doc as { Statement?: Statement | Statement[] }).Statement;
  if (statements === undefined) return "its policy document has no Statement";
  return Array.isArray(statements) ? statements : [statements as Statement];
}

const label = (s: Statement, i: number) => (s.Sid ? `statement ${i} (${s.Sid})` : `statement ${i}`);
const allows = (s: Statement) => s.Effect === "Allow";

/** Wildcards and inverted grants in one document. */
function checkWildcards(what: string, document: PolicyDocumentInput, reportViolation: ReportViolation): void {
  const statements = statementsOf(document);
  if (typeof statements === "string") {
    reportViolation(`${what}: ${statements}; give it a JSON document the policy pack can check.`);
    return;
  }
  statements.forEach((s, i) => {
    if (!allows(s)) return;
    if (s.NotAction !== undefined) {
      reportViolation(
        `${what} ${label(s, i)} allows NotAction ${JSON.stringify(s.NotAction)}, i.e. every other action: list the needed actions in Action instead.`,
      );
    }
    if (s.NotResource !== undefined) {
      reportViolation(
        `${what} ${label(s, i)} allows NotResource ${JSON.stringify(s.NotResource)}, i.e. every other resource: list the ARNs in Resource instead.`,
      );
    }
    const wildActions = list(s.Action).filter((a) => a.includes("*"));
    if (wildActions.length > 0) {
      reportViolation(
        `${what} ${label(s, i)} allows wildcard action ${wildActions.map((a) => `'${a}'`).join(", ")}: ` +
          `list the exact actions the service calls (e.g. 'dynamodb:GetItem') in Action.`,
      );
    }
    if (list(s.Resource).includes("*")) {
      reportViolation(`${what} ${label(s, i)} allows Resource '*': name the ARNs of this stack's resources in Resource.`);
    }
  });
}

/** `arn:<partition>:dynamodb:<region>:<account>:table/<name>`: one table, no index, stream or wildcard. */
export const TABLE_ARN = /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/;
/** `<table ARN>/index/<name>`: one named index of one table (no wildcard). */
export const INDEX_ARN = /^(arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255})\/index\/[A-Za-z0-9_.-]{3,255}$/;
/** What may be done on an index: reading it (Query), nothing else. */
const INDEX_READ_ACTIONS = new Set(["dynamodb:query"]);

/**
 * DynamoDB actions of one document: every such statement names exactly one table ARN — or one
 * named index of it, for Query alone (the service's reaper) — the same table throughout.
 */
function checkDynamoDbScope(what: string, document: PolicyDocumentInput, reportViolation: ReportViolation): void {
  const statements = statementsOf(document);
  if (typeof statements === "string") return; // reported by iam-no-wildcard-permissions
  const tables = new Set<string>();
  statements.forEach((s, i) => {
    const actions = list(s.Action);
    if (!allows(s) || !actions.some((a) => a.toLowerCase().startsWith("dynamodb:"))) return;
    const resources = list(s.Resource);
    const [only] = resources;
    const index = only === undefined ? null : INDEX_ARN.exec(only);
    if (resources.length === 1 && only !== undefined && TABLE_ARN.test(only)) {
      tables.add(only);
    } else if (resources.length === 1 && index && actions.every((a) => INDEX_READ_ACTIONS.has(a.toLowerCase()))) {
      tables.add(index[1] as string);
    } else {
      reportViolation(
        `${what} ${label(s, i)} grants DynamoDB actions on ${JSON.stringify(s.Resource ?? null)}: ` +
          `set Resource to exactly one table ARN (arn:aws:dynamodb:<region>:<account>:table/<name>), or one named index of it (…/index/<name>) for dynamodb:Query alone, and put other services' actions in their own statement.`,
      );
    }
  });
  if (tables.size > 1) {
    reportViolation(`${what} grants DynamoDB actions on ${tables.size} tables (${[...tables].join(", ")}): the task may reach only its own table.`);
  }
}

type DocumentCheck = (what: string, document: PolicyDocumentInput, reportViolation: ReportViolation) => void;

/** Run a document check over every IAM document type the stack can declare. */
const overDocuments = (check: DocumentCheck) => [
  validateResourceOfType(aws.iam.RolePolicy, (p, args, report) => check(`RolePolicy '${args.name}'`, p.policy as PolicyDocumentInput, report)),
  validateResourceOfType(aws.iam.Policy, (p, args, report) => check(`Policy '${args.name}'`, p.policy as PolicyDocumentInput, report)),
  validateResourceOfType(aws.iam.Role, (role, args, report) => {
    for (const inline of role.inlinePolicies ?? []) {
      if (inline.policy !== undefined) check(`Role '${args.name}' inline policy '${inline.name ?? "?"}'`, inline.policy, report);
    }
  }),
];

export const iamNoWildcardPermissions: ResourceValidationPolicy = {
  name: "iam-no-wildcard-permissions",
  description:
    "No IAM policy document (RolePolicy, Policy, Role inlinePolicies) allows a wildcard action ('*', 'dynamodb:*', 'dynamodb:Get*'), Resource '*', or NotAction/NotResource.",
  enforcementLevel: "mandatory",
  validateResource: overDocuments(checkWildcards),
};

export const iamDynamoDbOneTable: ResourceValidationPolicy = {
  name: "iam-dynamodb-one-table",
  description:
    "In every IAM policy document, each statement allowing DynamoDB actions names exactly one table ARN as its Resource (or one named index of it, for dynamodb:Query alone), and it is the same table throughout the document.",
  enforcementLevel: "mandatory",
  validateResource: overDocuments(checkDynamoDbScope),
};

export const iamPolicies: ResourceValidationPolicy[] = [iamNoWildcardPermissions, iamDynamoDbOneTable];
