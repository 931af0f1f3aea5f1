/**
 * The account tombstone: one item in the user's own partition, written first by DELETE /me. Every
 * create's transaction checks that it does not exist (notes/create-transaction.ts) and is refused
 * while it does; DELETE /me records its progress on it, so a repeated request resumes where the
 * last one stopped.
 *
 * Its sort key `~account` can never be a note id (notes are UUIDs: GET /notes/{id} and cursors
 * refuse anything else) and sorts after every note id, outside the range the notes Queries bound
 * their key condition to: it is never listed, paged, exported or read as a note.
 */
import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { Deadline } from "../deadline";
import type { DynamoTransport } from "../dynamo/transport";
import { translateDynamoError } from "../dynamo/errors";
import { TTL_ATTRIBUTE } from "../notes/table";
import { DONE_TOMBSTONE_TTL_MS, PENDING_TOMBSTONE_TTL_MS } from "./timing";

export const TOMBSTONE_KEY = "~account";

/** How far a deletion got; each field is set once, when its step has finished (ISO 8601). */
export interface TombstoneState {
  /** The first DELETE /me wrote the tombstone. */
  readonly requestedAt: string;
  /** The tombstone write was acknowledged: every create checking after this refuses. The fence counts from here. */
  readonly deletedAt?: string;
  /** Step 2: every note deleted (the final sweep runs again after the fence). */
  readonly notesDeletedAt?: string;
  /** Step 3: the Cognito user is gone (AdminDeleteUser, or it was already). */
  readonly userDeletedAt?: string;
  /** Step 4: the fence passed and the final sweep found nothing left; DELETE /me answered 204. */
  readonly completedAt?: string;
}

export type DeletionStep = "notesDeletedAt" | "userDeletedAt" | "completedAt";

/** The account was deleted: its tokens may still be valid, but it can create nothing. */
export class AccountDeletedError extends Error {
  override readonly name = "AccountDeletedError";
}

const STATE_FIELDS = ["requestedAt", "deletedAt", "notesDeletedAt", "userDeletedAt", "completedAt"] as const;

export class Tombstones {
  constructor(
    private readonly client: DynamoTransport,
    private readonly tableName: string,
  ) {}

  /** Step 1: the tombstone, written if missing (idempotent: an existing one keeps its fields). Returns its state. */
  async ensure(userId: string, now: number, deadline: Deadline): Promise<TombstoneState> {
    const out = await this.run(() =>
      this.client.send(
        "UpdateItem",
        {
          TableName: this.tableName,
          Key: this.key(userId),
          UpdateExpression: "SET requestedAt = if_not_exists(requestedAt, :now), #ttl = if_not_exists(#ttl, :ttl)",
          ExpressionAttributeNames: { "#ttl": TTL_ATTRIBUTE },
          ExpressionAttributeValues: marshall({ ":now": iso(now), ":ttl": epochSeconds(now + PENDING_TOMBSTONE_TTL_MS) }),
          ReturnValues: "ALL_NEW",
        },
        { deadline },
      ),
    );
    return stateOf(out.Attributes && unmarshall(out.Attributes));
  }

  /**
   * Records `deletedAt` once the tombstone is known to be written (call it after `ensure` returned).
   * The first value stays: a resumed request never moves the fence.
   */
  async confirm(userId: string, now: number, deadline: Deadline): Promise<TombstoneState> {
    return this.set(userId, "deletedAt", now, deadline, undefined);
  }

  /** Records a finished step. When the Cognito user is gone, the TTL shrinks to the last token's life. */
  async record(userId: string, step: DeletionStep, now: number, deadline: Deadline): Promise<TombstoneState> {
    return this.set(userId, step, now, deadline, step === "userDeletedAt" ? epochSeconds(now + DONE_TOMBSTONE_TTL_MS) : undefined);
  }

  private async set(userId: string, field: keyof TombstoneState, now: number, deadline: Deadline, ttl: number | undefined): Promise<TombstoneState> {
    const out = await this.run(() =>
      this.client.send(
        "UpdateItem",
        {
          TableName: this.tableName,
          Key: this.key(userId),
          UpdateExpression: `SET #f = if_not_exists(#f, :now)${ttl === undefined ? "" : ", #ttl = :ttl"}`,
          // Never recreate a tombstone from a progress update: it must have been written by `ensure`.
          ConditionExpression: "attribute_exists(requestedAt)",
          ExpressionAttributeNames: { "#f": field, ...(ttl === undefined ? {} : { "#ttl": TTL_ATTRIBUTE }) },
          ExpressionAttributeValues: marshall({ ":now": iso(now), ...(ttl === undefined ? {} : { ":ttl": ttl }) }),
          ReturnValues: "ALL_NEW",
        },
        { deadline },
      ),
    );
    return stateOf(out.Attributes && unmarshall(out.Attributes));
  }

  private key(userId: string): { userId: { S: string }; noteId: { S: string } } {
    return { userId: { S: userId }, noteId: { S: TOMBSTONE_KEY } };
  }

  private async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw translateDynamoError(err);
    }
  }
}

function stateOf(item: Record<string, unknown> | undefined): TombstoneState {
  const state: Record<string, string> = {};
  for (const field of STATE_FIELDS) {
    const value = item?.[field];
    if (typeof value === "string") state[field] = value;
  }
  if (state.requestedAt === undefined) throw new Error("tombstone without requestedAt");
  return state as unknown as TombstoneState;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function epochSeconds(ms: number): number {
  return Math.ceil(ms / 1000);
}
