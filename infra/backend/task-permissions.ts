/**
 * What the service's task role may do, as plain data (no Pulumi import): infra/backend/service.ts grants
 * it, the monitoring sums DynamoDB metrics over the operations, and `npm run cost` counts the
 * alarms' metrics from them.
 */

/**
 * Item actions the service needs on its table; no Scan, no table-level actions. BatchWriteItem is
 * DELETE /me's sweep (deletes only; the service never batch-puts). A create is one
 * TransactWriteItems, which IAM authorizes item by item ("Using IAM with DynamoDB transactions"):
 * its Puts as dynamodb:PutItem, its tombstone check as dynamodb:ConditionCheckItem — there is no
 * `dynamodb:TransactWriteItems` action to grant.
 */
export const TABLE_ACTIONS = [
  "dynamodb:GetItem",
  "dynamodb:PutItem",
  "dynamodb:UpdateItem",
  "dynamodb:DeleteItem",
  "dynamodb:ConditionCheckItem",
  "dynamodb:Query",
  "dynamodb:BatchWriteItem",
] as const;
/**
 * The one action on an index: the reaper's Query of the pending-deletions index (infra/data.ts),
 * granted on that index's ARN only.
 */
export const INDEX_ACTIONS = ["dynamodb:Query"] as const;
/** What DELETE /me needs of the user pool: deleting the caller's own user, on this pool only. */
export const USER_POOL_ACTIONS = ["cognito-idp:AdminDeleteUser"] as const;

/**
 * The DynamoDB operations the service calls: the `Operation` dimension of DynamoDB's metrics.
 * PutItem and ConditionCheckItem are granted for the create's transaction but never called alone.
 */
export const TABLE_OPERATIONS: readonly string[] = ["GetItem", "UpdateItem", "DeleteItem", "Query", "BatchWriteItem", "TransactWriteItems"];
