/**
 * Data: the notes table. Partition key = the caller's `sub`, sort key = a time-ordered note id (or
 * `~account` for a deleted account's tombstone), and the sparse index of unfinished deletions.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

export interface DataArgs {
  /** Point-in-time recovery and deletion protection on, and keep the table when the stack is destroyed. */
  protect: boolean;
}

export const TABLE_PARTITION_KEY = "userId";
export const TABLE_SORT_KEY = "noteId";
/**
 * DynamoDB TTL (epoch seconds): only the account tombstones DELETE /me writes carry it, so they go
 * once every token of the deleted account has expired (service/src/account/timing.ts). Notes never
 * have it. Same name as the service's TTL_ATTRIBUTE (a test keeps the two equal).
 */
export const TABLE_TTL_ATTRIBUTE = "expiresAt";
/**
 * The sparse index of unfinished account deletions, which the service's reaper reads: only a
 * tombstone whose deletion is unfinished carries its keys (a constant shard and the lease's end,
 * epoch ms). Keys only. Same as the service's `pendingDeletionsIndex` (a test keeps the two equal).
 */
export const PENDING_DELETIONS_INDEX = { name: "pendingDeletions", partitionKey: "pendingDeletion", sortKey: "leaseUntil" } as const;

export class Data extends pulumi.ComponentResource {
  readonly table: aws.dynamodb.Table;

  constructor(name: string, args: DataArgs, opts?: pulumi.ComponentResourceOptions) {
    super("user-aware-api:aws:Data", name, {}, opts);
    const { protect } = args;

    this.table = new aws.dynamodb.Table(
      `${name}-notes`,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: TABLE_PARTITION_KEY,
        rangeKey: TABLE_SORT_KEY,
        attributes: [
          { name: TABLE_PARTITION_KEY, type: "S" },
          { name: TABLE_SORT_KEY, type: "S" },
          { name: PENDING_DELETIONS_INDEX.partitionKey, type: "S" },
          { name: PENDING_DELETIONS_INDEX.sortKey, type: "N" },
        ],
        globalSecondaryIndexes: [
          {
            name: PENDING_DELETIONS_INDEX.name,
            hashKey: PENDING_DELETIONS_INDEX.partitionKey,
            rangeKey: PENDING_DELETIONS_INDEX.sortKey,
            projectionType: "KEYS_ONLY",
          },
        ],
        ttl: { attributeName: TABLE_TTL_ATTRIBUTE, enabled: true },
        pointInTimeRecovery: { enabled: protect },
        deletionProtectionEnabled: protect,
      },
      { parent: this, retainOnDelete: protect },
    );

    this.registerOutputs({ tableName: this.table.name, tableArn: this.table.arn });
  }
}
