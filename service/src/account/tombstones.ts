/**
 * The account tombstone: one item in the user's own partition, written first by DELETE /me. Every
 * create's transaction checks that it does not exist (notes/create-transaction.ts) and is refused
 * while it does; each run of the deletion records its
 * progress on it, so the next run — a repeated DELETE /me or the reaper — resumes where the last
 * one stopped.
 *
 * While the deletion is unfinished the tombstone is in the sparse `pendingDeletions` index
 * (service/src/notes/table.ts) and carries a lease: `leaseOwner` (the run holding it) and
 * `leaseUntil` (epoch ms; 0 = free). A run first takes the lease with a conditional update, and
 * every progress record is conditioned on still holding it, so two runs never work on one
 * deletion at once. Completion removes the index attributes: the reaper never sees it again.
 *
 * Its sort key `~account` can never be a note id (notes are UUIDs: GET /notes/{id} and cursors
 * refuse anything else) and sorts after every note id, outside the range the notes Queries bound
 * their key condition to: it is never listed, paged, exported or read as a note.
 */
import type { AttributeValue } from "@aws-sdk/client-dynamodb";
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { Deadline } from "../deadline";
import type { DynamoTransport } from "../dynamo/transport";
import { isConditionalCheckFailed, translateDynamoError, withStoreErrors } from "../dynamo/errors";
import { pendingDeletionsIndex, TTL_ATTRIBUTE } from "../../../contract/notes-table";
import { PENDING_DELETION_SHARD } from "../notes/table";
import { DONE_TOMBSTONE_TTL_MS, PENDING_TOMBSTONE_TTL_MS } from "./timing";

export const TOMBSTONE_KEY = "~account";

/** How far a deletion got; each step field is set once, when its step has finished (ISO 8601). */
export interface TombstoneState {
  /** The first DELETE /me wrote the tombstone: creates refuse from then on. */
  readonly requestedAt: string;
  /** The Cognito username AdminDeleteUser takes (kept so the reaper can delete the user without a token). */
  readonly username: string;
  /** Every note deleted once (the final sweep runs again before completion). */
  readonly notesDeletedAt?: string;
  /** The Cognito user is gone (AdminDeleteUser, or it was already). */
  readonly userDeletedAt?: string;
  /** The final sweep found nothing left: the deletion is done. */
  readonly completedAt?: string;
}

export type DeletionStep = "notesDeletedAt" | "userDeletedAt";

/** What taking a deletion's lease found. */
export type LeaseOutcome =
  /** This run holds the lease until `leaseUntil`. */
  | { readonly kind: "taken"; readonly state: TombstoneState }
  /** The deletion is finished: nothing to do. */
  | { readonly kind: "done" }
  /** Another run holds the lease until `leaseUntil` (epoch ms); none of the deletion is done by this one. */
  | { readonly kind: "busy"; readonly leaseUntil: number }
  /** No unfinished deletion of this sub (the reaper's index entry was stale). */
  | { readonly kind: "none" };

/** The account was deleted: its tokens may still be valid, but it can create nothing. */
export class AccountDeletedError extends Error {
  override readonly name = "AccountDeletedError";
}

/** A run's progress record found the lease held by another run (this one outlived its lease): it stops. */
export class LeaseLostError extends Error {
  override readonly name = "LeaseLostError";
}

/** Who holds the lease, and until when: a run's identity. */
export interface Lease {
  /** Unique per run (a UUID). */
  readonly owner: string;
  readonly leaseMs: number;
}

const STATE_FIELDS = ["requestedAt", "username", "notesDeletedAt", "userDeletedAt", "completedAt"] as const;

export class Tombstones {
  constructor(
    private readonly client: DynamoTransport,
    private readonly tableName: string,
  ) {}

  /**
   * DELETE /me's first write: the tombstone, written if missing (an existing one keeps its fields),
   * put in the pending index, and its lease taken for this run — unless the deletion is done or
   * another run holds the lease.
   */
  async begin(userId: string, username: string, lease: Lease, now: number, deadline: Deadline): Promise<LeaseOutcome> {
    try {
      const out = await this.client.send(
        "UpdateItem",
        {
          TableName: this.tableName,
          Key: this.key(userId),
          UpdateExpression:
            "SET requestedAt = if_not_exists(requestedAt, :now), #ttl = if_not_exists(#ttl, :ttl), username = if_not_exists(username, :username), " +
            "#pending = :shard, leaseOwner = :owner, #leaseUntil = :until",
          ConditionExpression: `attribute_not_exists(completedAt) AND ${LEASE_FREE}`,
          ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE, "#pending": pendingDeletionsIndex.partitionKey, "#leaseUntil": pendingDeletionsIndex.sortKey },
          ExpressionAttributeValues: marshall({
            ":now": iso(now),
            ":ttl": epochSeconds(now + PENDING_TOMBSTONE_TTL_MS),
            ":username": username,
            ":shard": PENDING_DELETION_SHARD,
            ":owner": lease.owner,
            ":until": now + lease.leaseMs,
            ":nowMs": now,
          }),
          ReturnValues: "ALL_NEW",
        },
        { deadline },
      );
      return { kind: "taken", state: stateOf(out.Attributes && unmarshall(out.Attributes)) };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw translateDynamoError(err);
    }
    // Done, or leased by another run: read which (a consistent read sees the write that refused us).
    const item = await this.read(userId, deadline);
    if (!item) return { kind: "none" };
    if (typeof item.completedAt === "string") return { kind: "done" };
    return { kind: "busy", leaseUntil: typeof item.leaseUntil === "number" ? item.leaseUntil : now };
  }

  /** The reaper's take: the lease of an unfinished deletion whose lease is free or expired. */
  async takeOver(userId: string, lease: Lease, now: number, deadline: Deadline): Promise<LeaseOutcome> {
    try {
      const out = await this.client.send(
        "UpdateItem",
        {
          TableName: this.tableName,
          Key: this.key(userId),
          UpdateExpression: "SET leaseOwner = :owner, #leaseUntil = :until",
          ConditionExpression: `attribute_exists(#pending) AND ${LEASE_FREE}`,
          ExpressionAttributeNames: { "#pending": pendingDeletionsIndex.partitionKey, "#leaseUntil": pendingDeletionsIndex.sortKey },
          ExpressionAttributeValues: marshall({ ":owner": lease.owner, ":until": now + lease.leaseMs, ":nowMs": now }),
          ReturnValues: "ALL_NEW",
        },
        { deadline },
      );
      return { kind: "taken", state: stateOf(out.Attributes && unmarshall(out.Attributes)) };
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw translateDynamoError(err);
      // Another run took it first, or it was finished since the index was read.
      return { kind: "busy", leaseUntil: now };
    }
  }

  /** Records a finished step, if this run still holds the lease. When the Cognito user is gone, the TTL shrinks to the last token's life. */
  async record(userId: string, step: DeletionStep, owner: string, now: number, deadline: Deadline): Promise<TombstoneState> {
    const ttl = step === "userDeletedAt" ? epochSeconds(now + DONE_TOMBSTONE_TTL_MS) : undefined;
    return this.holding(owner, () =>
      this.client.send(
        "UpdateItem",
        {
          TableName: this.tableName,
          Key: this.key(userId),
          UpdateExpression: `SET #f = if_not_exists(#f, :now)${ttl === undefined ? "" : ", #ttl = :ttl"}`,
          ConditionExpression: "leaseOwner = :owner",
          ExpressionAttributeNames: { "#f": step, ...(ttl === undefined ? {} : { "#ttl": TTL_ATTRIBUTE }) },
          ExpressionAttributeValues: marshall({ ":now": iso(now), ":owner": owner, ...(ttl === undefined ? {} : { ":ttl": ttl }) }),
          ReturnValues: "ALL_NEW",
        },
        { deadline },
      ),
    );
  }

  /** The deletion is done: `completedAt`, and out of the pending index (lease and all). */
  async complete(userId: string, owner: string, now: number, deadline: Deadline): Promise<TombstoneState> {
    return this.holding(owner, () =>
      this.client.send(
        "UpdateItem",
        {
          TableName: this.tableName,
          Key: this.key(userId),
          UpdateExpression: "SET completedAt = if_not_exists(completedAt, :now) REMOVE #pending, leaseOwner, #leaseUntil",
          ConditionExpression: "leaseOwner = :owner",
          ExpressionAttributeNames: { "#pending": pendingDeletionsIndex.partitionKey, "#leaseUntil": pendingDeletionsIndex.sortKey },
          ExpressionAttributeValues: marshall({ ":now": iso(now), ":owner": owner }),
          ReturnValues: "ALL_NEW",
        },
        { deadline },
      ),
    );
  }

  /** A run that stops unfinished frees its lease, so the next run (a repeat, the reaper) need not wait for it to expire. */
  async release(userId: string, owner: string, deadline: Deadline): Promise<void> {
    try {
      await this.client.send(
        "UpdateItem",
        {
          TableName: this.tableName,
          Key: this.key(userId),
          UpdateExpression: "SET #leaseUntil = :free REMOVE leaseOwner",
          ConditionExpression: "leaseOwner = :owner",
          ExpressionAttributeNames: { "#leaseUntil": pendingDeletionsIndex.sortKey },
          ExpressionAttributeValues: marshall({ ":free": 0, ":owner": owner }),
        },
        { deadline },
      );
    } catch (err) {
      // Not ours any more: nothing to free.
      if (!isConditionalCheckFailed(err)) throw translateDynamoError(err);
    }
  }

  /**
   * The subs of unfinished deletions whose lease is free or expired at `now`, at most `max` (the
   * index is eventually consistent: the lease's condition, not this list, decides who runs one).
   */
  async pending(now: number, max: number, deadline: Deadline): Promise<string[]> {
    const subs: string[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await withStoreErrors(() =>
        this.client.send(
          "Query",
          {
            TableName: this.tableName,
            IndexName: pendingDeletionsIndex.name,
            KeyConditionExpression: "#pending = :shard AND #leaseUntil < :now",
            ExpressionAttributeNames: { "#pending": pendingDeletionsIndex.partitionKey, "#leaseUntil": pendingDeletionsIndex.sortKey },
            ExpressionAttributeValues: marshall({ ":shard": PENDING_DELETION_SHARD, ":now": now }),
            Limit: max - subs.length,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          },
          { deadline },
        ),
      );
      for (const item of page.Items ?? []) if (item.userId?.S !== undefined) subs.push(item.userId.S);
      startKey = page.LastEvaluatedKey;
    } while (startKey && subs.length < max);
    return subs;
  }

  private async read(userId: string, deadline: Deadline): Promise<Record<string, unknown> | undefined> {
    const out = await withStoreErrors(() =>
      this.client.send("GetItem", { TableName: this.tableName, Key: this.key(userId), ConsistentRead: true }, { deadline }),
    );
    return out.Item && unmarshall(out.Item);
  }

  /** A progress write conditioned on `leaseOwner = :owner`: its refusal means the lease passed on. */
  private async holding(owner: string, write: () => Promise<{ Attributes?: Record<string, AttributeValue> }>): Promise<TombstoneState> {
    try {
      const out = await write();
      return stateOf(out.Attributes && unmarshall(out.Attributes));
    } catch (err) {
      if (isConditionalCheckFailed(err)) throw new LeaseLostError(`the deletion's lease is no longer held by ${owner}`, { cause: err });
      throw translateDynamoError(err);
    }
  }

  private key(userId: string): { userId: { S: string }; noteId: { S: string } } {
    return { userId: { S: userId }, noteId: { S: TOMBSTONE_KEY } };
  }
}

/** The lease condition: nobody holds it, or its holder's time is up (`:nowMs`). */
const LEASE_FREE = "(attribute_not_exists(#leaseUntil) OR #leaseUntil < :nowMs)";

function stateOf(item: Record<string, unknown> | undefined): TombstoneState {
  const state: Record<string, string> = {};
  for (const field of STATE_FIELDS) {
    const value = item?.[field];
    if (typeof value === "string") state[field] = value;
  }
  if (state.requestedAt === undefined) throw new Error("tombstone without requestedAt");
  // A tombstone written before usernames were kept: the pool's username is the sub (username attributes).
  state.username ??= typeof item?.userId === "string" ? item.userId : "";
  return state as unknown as TombstoneState;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function epochSeconds(ms: number): number {
  return Math.ceil(ms / 1000);
}
