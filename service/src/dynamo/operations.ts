import type {
  BatchGetItemInput,
  BatchGetItemOutput,
  BatchWriteItemInput,
  BatchWriteItemOutput,
  DeleteItemInput,
  DeleteItemOutput,
  DescribeTableInput,
  DescribeTableOutput,
  GetItemInput,
  GetItemOutput,
  PutItemInput,
  PutItemOutput,
  QueryInput,
  QueryOutput,
  ScanInput,
  ScanOutput,
  TransactGetItemsInput,
  TransactGetItemsOutput,
  TransactWriteItemsInput,
  TransactWriteItemsOutput,
  UpdateItemInput,
  UpdateItemOutput,
} from "@aws-sdk/client-dynamodb";

/**
 * DynamoDB operations by their JSON-protocol name (the `X-Amz-Target` suffix), with the SDK's own
 * input and output shapes (type-only imports: none of the SDK client is bundled). The transport
 * sends any of them the same way; adding one is one line here.
 */
export interface DynamoOperations {
  GetItem: [GetItemInput, GetItemOutput];
  PutItem: [PutItemInput, PutItemOutput];
  UpdateItem: [UpdateItemInput, UpdateItemOutput];
  DeleteItem: [DeleteItemInput, DeleteItemOutput];
  Query: [QueryInput, QueryOutput];
  Scan: [ScanInput, ScanOutput];
  BatchGetItem: [BatchGetItemInput, BatchGetItemOutput];
  BatchWriteItem: [BatchWriteItemInput, BatchWriteItemOutput];
  TransactGetItems: [TransactGetItemsInput, TransactGetItemsOutput];
  TransactWriteItems: [TransactWriteItemsInput, TransactWriteItemsOutput];
  DescribeTable: [DescribeTableInput, DescribeTableOutput];
}

export type DynamoOperation = keyof DynamoOperations;
export type InputOf<Op extends DynamoOperation> = DynamoOperations[Op][0];
export type OutputOf<Op extends DynamoOperation> = DynamoOperations[Op][1];
