/**
 * DynamoDB invariants (docs/architecture.md#data-model-and-its-invariants): in production the notes table can be restored to any
 * second of the last 35 days (point-in-time recovery) and cannot be deleted by accident.
 * Retain-on-delete is not visible to policies (see docs/security.md); test/infra checks it.
 */
import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { protectionSchema, requireProtection } from "./config";

export const dynamodbTablePointInTimeRecovery: ResourceValidationPolicy = {
  name: "dynamodb-table-point-in-time-recovery",
  description: "With requireProtection (production, the default), every DynamoDB table has pointInTimeRecovery.enabled: true.",
  enforcementLevel: "mandatory",
  configSchema: protectionSchema,
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, reportViolation) => {
    if (requireProtection(args) && table.pointInTimeRecovery?.enabled !== true) {
      reportViolation(
        `Table '${args.name}' has no point-in-time recovery (pointInTimeRecovery: ${JSON.stringify(table.pointInTimeRecovery ?? null)}): ` +
          `set pointInTimeRecovery: { enabled: true } (the stack's protect: true does this).`,
      );
    }
  }),
};

export const dynamodbTableDeletionProtection: ResourceValidationPolicy = {
  name: "dynamodb-table-deletion-protection",
  description: "With requireProtection (production, the default), every DynamoDB table has deletionProtectionEnabled: true.",
  enforcementLevel: "mandatory",
  configSchema: protectionSchema,
  validateResource: validateResourceOfType(aws.dynamodb.Table, (table, args, reportViolation) => {
    if (requireProtection(args) && table.deletionProtectionEnabled !== true) {
      reportViolation(
        `Table '${args.name}' can be deleted (deletionProtectionEnabled: ${JSON.stringify(table.deletionProtectionEnabled ?? false)}): ` +
          `set deletionProtectionEnabled: true (the stack's protect: true does this).`,
      );
    }
  }),
};

export const dataPolicies: ResourceValidationPolicy[] = [dynamodbTablePointInTimeRecovery, dynamodbTableDeletionProtection];
