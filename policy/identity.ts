/**
 * Cognito invariants, 4 in docs/architecture.md#infrastructure-invariants: the app client is public (a mobile app cannot keep a
 * secret), and in production the user pool cannot be deleted by accident.
 */
import * as aws from "@pulumi/aws";
import { type ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { protectionSchema, requireProtection } from "./config";

export const cognitoClientNoSecret: ResourceValidationPolicy = {
  name: "cognito-client-no-secret",
  description: "Every Cognito user pool app client is public: generateSecret is false or unset (a mobile app cannot keep a secret).",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.cognito.UserPoolClient, (client, args, reportViolation) => {
    if (client.generateSecret === true) {
      reportViolation(`UserPoolClient '${args.name}' has a client secret (generateSecret: true), which a mobile app cannot keep: set generateSecret: false.`);
    }
  }),
};

export const cognitoPoolDeletionProtection: ResourceValidationPolicy = {
  name: "cognito-pool-deletion-protection",
  description: "With requireProtection (production, the default), every Cognito user pool has deletionProtection: ACTIVE.",
  enforcementLevel: "mandatory",
  configSchema: protectionSchema,
  validateResource: validateResourceOfType(aws.cognito.UserPool, (pool, args, reportViolation) => {
    if (requireProtection(args) && pool.deletionProtection !== "ACTIVE") {
      reportViolation(
        `UserPool '${args.name}' can be deleted with every user in it (deletionProtection: ${JSON.stringify(pool.deletionProtection ?? "INACTIVE")}): ` +
          `set deletionProtection: "ACTIVE" (the stack's protect: true does this).`,
      );
    }
  }),
};

export const identityPolicies: ResourceValidationPolicy[] = [cognitoClientNoSecret, cognitoPoolDeletionProtection];
