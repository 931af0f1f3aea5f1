import { marshall, unmarshall } from "@aws-sdk/util-dynamodb";
import type { Note } from "../../../contract/notes";
import { productionTiming } from "../account/timing";
import { Deadline } from "../deadline";
import type { DynamoTransport } from "../dynamo/transport";
import { AccountDeletedError } from "../account/tombstones";
import { createTransaction, whyCancelled } from "./create-transaction";
import { isConditionalCheckFailed, retryAfterSeconds, translateDynamoError } from "./dynamo-errors";
import { NOTE_ID_RANGE } from "./note-id";
import {
  NoteExistsError,
  NoteNotFoundError,
  StoreUnavailableError,
  VersionConflictError,
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

  /** One transaction: the tombstone check and the note's Put (notes/create-transaction.ts). */
  async create(userId: string, note: Note, deadline?: Deadline): Promise<void> {
    const { id, ...rest } = note;
    const item: NoteItem = { userId, noteId: id, ...rest };
    try {
      await this.client.send("TransactWriteItems", createTransaction(this.tableName, userId, { ...item }), {
        deadline: this.writeDeadline(deadline),
      });
    } catch (err) {
      throw createError(err, id);
    }
  }

  async get(userId: string, noteId: string): Promise<Note | undefined> {
    const out = await this.run(() =>
      this.client.send("GetItem", { TableName: this.tableName, Key: marshall({ userId, noteId }), ConsistentRead: true }),
    );
    return out.Item ? toNote(unmarshall(out.Item) as NoteItem) : undefined;
  }

  async list(userId: string, limit: number, afterNoteId: string | undefined): Promise<NotePage> {
    // One extra item tells whether another page exists, so nextCursor is never a dead end.
    const out = await this.run(() =>
      this.client.send("Query", {
        TableName: this.tableName,
        // Bounded to note ids: the account tombstone sorts outside and is never returned.
        KeyConditionExpression: "userId = :u AND noteId BETWEEN :first AND :last",
        ExpressionAttributeValues: marshall({ ":u": userId, ":first": NOTE_ID_RANGE.first, ":last": NOTE_ID_RANGE.last }),
        ScanIndexForward: false,
        Limit: limit + 1,
        ...(afterNoteId === undefined ? {} : { ExclusiveStartKey: marshall({ userId, noteId: afterNoteId }) }),
      }),
    );
    const items = (out.Items ?? []).map((i) => toNote(unmarshall(i) as NoteItem));
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
      if (isConditionalCheckFailed(err)) throw await this.whyConditionFailed(userId, noteId);
      throw translateDynamoError(err);
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
      if (isConditionalCheckFailed(err)) throw await this.whyConditionFailed(userId, noteId);
      throw translateDynamoError(err);
    }
  }

  /** A failed version condition means either no such note (404) or another version (412). */
  private async whyConditionFailed(userId: string, noteId: string): Promise<Error> {
    const current = await this.get(userId, noteId);
    return current ? new VersionConflictError(current.version) : new NoteNotFoundError(noteId);
  }

  /**
   * The write's deadline (the caller's, or the default from now): the transport sends nothing after
   * it, and a deadline already passed is DeadlineExceededError with nothing sent.
   */
  private writeDeadline(deadline: Deadline | undefined): Deadline {
    return deadline ?? Deadline.after(this.writeDeadlineMs);
  }

  private async run<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw translateDynamoError(err);
    }
  }
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
