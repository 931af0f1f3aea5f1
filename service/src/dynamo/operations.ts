import type {
  BatchWriteItemInput,
  BatchWriteItemOutput,
  DeleteItemInput,
  DeleteItemOutput,
  GetItemInput,
  GetItemOutput,
  PutItemInput,
  PutItemOutput,
  QueryInput,
  QueryOutput,
  TransactWriteItemsInput,
  TransactWriteItemsOutput,
  UpdateItemInput,
  UpdateItemOutput,
} from "@aws-sdk/client-dynamodb";

/**
 * DynamoDB operations by their JSON-protocol name (the `X-Amz-Target` suffix), with the SDK's own
 * input and output shapes (type-only imports: none of the SDK client is bundled). The transport
 * sends any of them the same way; adding one is one line here. Only the operations the service
 * (and the bench's and tests' uses of the same transport) send are listed.
 */
export interface DynamoOperations {
  GetItem: [GetItemInput, GetItemOutput];
  PutItem: [PutItemInput, PutItemOutput];
  UpdateItem: [UpdateItemInput, UpdateItemOutput];
  DeleteItem: [DeleteItemInput, DeleteItemOutput];
  Query: [QueryInput, QueryOutput];
  BatchWriteItem: [BatchWriteItemInput, BatchWriteItemOutput];
  TransactWriteItems: [TransactWriteItemsInput, TransactWriteItemsOutput];
}

export type DynamoOperation = keyof DynamoOperations;
export type InputOf<Op extends DynamoOperation> = DynamoOperations[Op][0];
export type OutputOf<Op extends DynamoOperation> = DynamoOperations[Op][1];
