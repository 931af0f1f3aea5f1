/**
 * Data: the notes table. Partition key = the caller's `sub`, sort key = a time-ordered note id (or
 * `~account` for a deleted account's tombstone), and the sparse index of unfinished deletions; the
 * names are contract/notes-table.ts's, which the service uses too. TTL is on: account tombstones go
 * once every token of the deleted account has expired (service/src/account/timing.ts), and
 * Idempotency-Key records after 24 h; notes never expire.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { notesTableKeys, pendingDeletionsIndex, TTL_ATTRIBUTE } from "../contract/notes-table";

export interface DataArgs {
  /** Point-in-time recovery and deletion protection on, and keep the table when the stack is destroyed. */
  protect: boolean;
}

export class Data extends pulumi.ComponentResource {
  readonly table: aws.dynamodb.Table;

  constructor(name: string, args: DataArgs, opts?: pulumi.ComponentResourceOptions) {
    super("user-aware-api:aws:Data", name, {}, opts);
    const { protect } = args;

    this.table = new aws.dynamodb.Table(
      `${name}-notes`,
      {
        billingMode: "PAY_PER_REQUEST",
        hashKey: notesTableKeys.partitionKey,
        rangeKey: notesTableKeys.sortKey,
        attributes: [
          { name: notesTableKeys.partitionKey, type: "S" },
          { name: notesTableKeys.sortKey, type: "S" },
          { name: pendingDeletionsIndex.partitionKey, type: "S" },
          { name: pendingDeletionsIndex.sortKey, type: "N" },
        ],
        globalSecondaryIndexes: [
          {
            name: pendingDeletionsIndex.name,
            hashKey: pendingDeletionsIndex.partitionKey,
            rangeKey: pendingDeletionsIndex.sortKey,
            projectionType: "KEYS_ONLY",
          },
        ],
        ttl: { attributeName: TTL_ATTRIBUTE, enabled: true },
        pointInTimeRecovery: { enabled: protect },
        deletionProtectionEnabled: protect,
      },
      { parent: this, retainOnDelete: protect },
    );

    this.registerOutputs({ tableName: this.table.name, tableArn: this.table.arn });
  }
}
