import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { Note } from "../../../contract/notes";
import { productionTiming } from "../account/timing";
import { Deadline } from "../deadline";
import type { DynamoTransport } from "../dynamo/transport";
import { AccountDeletedError } from "../account/tombstones";
import { IDEMPOTENCY_KEY_LIFETIME_MS } from "../../../contract/idempotency-key";
import { createTransaction, whyCancelled } from "./create-transaction";
import { IdempotencyKeyReusedError, idempotencySortKey, liveRecord, originalNote, recordItem, type IdempotencyClaim } from "./idempotency";
import { earlierAttemptMayHaveApplied, isConditionalCheckFailed, retryAfterSeconds, translateDynamoError, withStoreErrors } from "../dynamo/errors";
import { NOTE_ID_RANGE } from "./note-id";
import {
  NoteExistsError,
  NoteNotFoundError,
  StoreUnavailableError,
  VersionConflictError,
  type CreateOptions,
  type NoteChange,
  type NotePage,
  type NoteStore,
} from "./store";

/** The table item: the note plus its keys. `userId` (the sub) is the partition key, `noteId` the sort key. */
interface NoteItem extends Omit<Note, "id"> {
  userId: string;
  noteId: string;
}

export interface DynamoNoteStoreOptions {
  /** The deadline a write gets when the caller passes none (ms from the call). Default: production D. */
  readonly writeDeadlineMs?: number;
}

/**
 * NoteStore on DynamoDB: conditional writes, so no update is ever lost. Items are (un)marshalled
 * with `@aws-sdk/util-dynamodb`, as the SDK's document client does, and sent by the lean transport.
 */
export class DynamoNoteStore implements NoteStore {
  private readonly writeDeadlineMs: number;

  constructor(
    private readonly client: DynamoTransport,
    private readonly tableName: string,
    options: DynamoNoteStoreOptions = {},
  ) {
    this.writeDeadlineMs = options.writeDeadlineMs ?? productionTiming.writeDeadlineMs;
  }

  /**
   * One transaction: the tombstone check and the note's Put (notes/create-transaction.ts), and with
   * an Idempotency-Key the key's record. A key already used answers with its original note (same
   * payload) or IdempotencyKeyReusedError (another payload).
   */
  async create(userId: string, note: Note, options: CreateOptions = {}): Promise<Note> {
    const { id, ...rest } = note;
    const item: NoteItem = { userId, noteId: id, ...rest };
    const { idempotency } = options;
    const nowMs = Date.parse(note.createdAt);
    const record = idempotency && { item: recordItem(userId, idempotency, note, IDEMPOTENCY_KEY_LIFETIME_MS), nowEpochSeconds: Math.floor(nowMs / 1000) };
    try {
      await this.client.send("TransactWriteItems", createTransaction(this.tableName, userId, { ...item }, record), {
        deadline: this.writeDeadline(options.deadline),
      });
      return note;
    } catch (err) {
      if (idempotency && whyCancelled(err) === "key_used") return this.replay(userId, idempotency, note, nowMs, err);
      throw createError(err, id);
    }
  }

  /** The key has a live record: the same payload gets the note it created, another payload 422. */
  private async replay(userId: string, claim: IdempotencyClaim, note: Note, nowMs: number, cause: unknown): Promise<Note> {
    const out = await withStoreErrors(() =>
      this.client.send("GetItem", { TableName: this.tableName, Key: marshall({ userId, noteId: idempotencySortKey(claim.key) }), ConsistentRead: true }),
    );
    const record = liveRecord(out.Item && unmarshall(out.Item), nowMs);
    // Gone or expired between the transaction and this read: nothing was created, try again.
    if (!record) throw new StoreUnavailableError("The Idempotency-Key record changed while it was read", retryAfterSeconds.throttled, { cause });
    if (record.payloadHash !== claim.payloadHash) {
      throw new IdempotencyKeyReusedError("This Idempotency-Key was used for a request with another payload");
    }
    return originalNote(record, note);
  }

  async get(userId: string, noteId: string): Promise<Note | undefined> {
    const out = await withStoreErrors(() =>
      this.client.send("GetItem", { TableName: this.tableName, Key: marshall({ userId, noteId }), ConsistentRead: true }),
    );
    return out.Item ? toNote(unmarshall(out.Item) as NoteItem) : undefined;
  }

  /**
   * DynamoDB cuts a Query's page at 1 MB of items (UTF-8 bytes) before `Limit`, saying so with
   * `LastEvaluatedKey`: the page is filled from there with further Queries until it holds one item
   * more than asked or the store says it is done. The extra item makes the cursor exact: a cursor
   * exactly when more notes follow, never null while some remain, never a dead end.
   */
  async list(userId: string, limit: number, afterNoteId: string | undefined): Promise<NotePage> {
    const items: Note[] = [];
    let startKey = afterNoteId === undefined ? undefined : marshall({ userId, noteId: afterNoteId });
    do {
      const exclusiveStartKey = startKey;
      const out = await withStoreErrors(() =>
        this.client.send("Query", {
          TableName: this.tableName,
          // Bounded to note ids: the account tombstone sorts outside and is never returned.
          KeyConditionExpression: "userId = :u AND noteId BETWEEN :first AND :last",
          ExpressionAttributeValues: marshall({ ":u": userId, ":first": NOTE_ID_RANGE.first, ":last": NOTE_ID_RANGE.last }),
          ScanIndexForward: false,
          Limit: limit + 1 - items.length,
          ...(exclusiveStartKey === undefined ? {} : { ExclusiveStartKey: exclusiveStartKey }),
        }),
      );
      for (const item of out.Items ?? []) items.push(toNote(unmarshall(item) as NoteItem));
      startKey = out.LastEvaluatedKey;
    } while (startKey !== undefined && items.length <= limit);
    // Here either limit + 1 items came back (more follow) or the store is done (none follow).
    const page = items.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page, lastNoteId: items.length > limit && last ? last.id : null };
  }

  async update(userId: string, noteId: string, expectedVersion: number, change: NoteChange, deadline?: Deadline): Promise<Note> {
    try {
      const out = await this.client.send(
        "UpdateItem",
        {
          TableName: this.tableName,
          Key: marshall({ userId, noteId }),
          UpdateExpression: "SET #title = :title, #body = :body, #updatedAt = :updatedAt, #version = #version + :one",
          ConditionExpression: "#version = :expected",
          ExpressionAttributeNames: { "#title": "title", "#body": "body", "#updatedAt": "updatedAt", "#version": "version" },
          ExpressionAttributeValues: marshall({
            ":title": change.title,
            ":body": change.body,
            ":updatedAt": change.updatedAt,
            ":one": 1,
            ":expected": expectedVersion,
          }),
          ReturnValues: "ALL_NEW",
        },
        { deadline: this.writeDeadline(deadline) },
      );
      return toNote(unmarshall(out.Attributes ?? {}) as NoteItem);
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw translateDynamoError(err);
      // The retry of an attempt whose outcome is unknown failed against that attempt's own write?
      // Then the item holds exactly what this request wrote: the update succeeded.
      const current = await this.get(userId, noteId);
      if (current && earlierAttemptMayHaveApplied(err) && holdsUpdate(current, expectedVersion, change)) return current;
      throw whyConditionFailed(current, noteId);
    }
  }

  async delete(userId: string, noteId: string, expectedVersion: number | undefined, deadline?: Deadline): Promise<void> {
    const versioned = expectedVersion !== undefined;
    try {
      await this.client.send(
        "DeleteItem",
        {
          TableName: this.tableName,
          Key: marshall({ userId, noteId }),
          ...(versioned
            ? {
                ConditionExpression: "#version = :expected",
                ExpressionAttributeNames: { "#version": "version" },
                ExpressionAttributeValues: { ":expected": { N: String(expectedVersion) } },
              }
            : { ConditionExpression: "attribute_exists(noteId)" }),
        },
        { deadline: this.writeDeadline(deadline) },
      );
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw translateDynamoError(err);
      const current = await this.get(userId, noteId);
      // The retry of an attempt whose outcome is unknown found the note gone: that attempt deleted it.
      if (!current && earlierAttemptMayHaveApplied(err)) return;
      throw whyConditionFailed(current, noteId);
    }
  }

  /**
   * The write's deadline (the caller's, or the default from now): the transport sends nothing after
   * it, and a deadline already passed is DeadlineExceededError with nothing sent.
   */
  private writeDeadline(deadline: Deadline | undefined): Deadline {
    return deadline ?? Deadline.after(this.writeDeadlineMs);
  }
}

/** A failed version condition means either no such note (404) or another version (412). */
function whyConditionFailed(current: Note | undefined, noteId: string): Error {
  return current ? new VersionConflictError(current.version) : new NoteNotFoundError(noteId);
}

/** The note is exactly what an update from `expectedVersion` with `change` writes. */
function holdsUpdate(note: Note, expectedVersion: number, change: NoteChange): boolean {
  return note.version === expectedVersion + 1 && note.title === change.title && note.body === change.body && note.updatedAt === change.updatedAt;
}

/** A failed create transaction, as the store's errors. */
function createError(err: unknown, id: string): unknown {
  switch (whyCancelled(err)) {
    case "account_deleted":
      return new AccountDeletedError("The account has been deleted");
    case "note_exists":
      return new NoteExistsError(`Note ${id} already exists`);
    case "conflict":
      // Another transaction or write held one of its items: nothing was written, try again.
      return new StoreUnavailableError("DynamoDB cancelled the create: a conflicting write", retryAfterSeconds.throttled, { cause: err });
    default:
      return translateDynamoError(err);
  }
}

function toNote(item: NoteItem): Note {
  return {
    id: item.noteId,
    title: item.title,
    body: item.body,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
    version: item.version,
  };
}
