/** The account lifecycle's dependencies, put together on the notes table's DynamoDB client. */
import type { Clock } from "../clock";
import type { DynamoTransport } from "../dynamo/transport";
import type { Logger } from "../logger";
import { AccountDeletion } from "./deletion";
import { PartitionSweeper, type SweepOptions } from "./sweep";
import { productionTiming, type DeletionTiming } from "./timing";
import { Tombstones } from "./tombstones";
import type { UserDirectory } from "./user-directory";

export interface AccountDeps {
  readonly deletion: AccountDeletion;
  /** The tombstones (the reaper reads the pending ones). */
  readonly tombstones: Tombstones;
  /** The deadline of the notes' writes (account/timing.ts). */
  readonly writeDeadlineMs: number;
}

export interface DynamoAccountOptions {
  /** The same client the notes store uses. */
  readonly client: DynamoTransport;
  readonly tableName: string;
  readonly users: UserDirectory;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Default: productionTiming. Tests shorten the lease and the budget. */
  readonly timing?: DeletionTiming;
  readonly sweep?: SweepOptions;
  readonly sleep?: (ms: number) => Promise<void>;
}

export function dynamoAccount(options: DynamoAccountOptions): AccountDeps {
  const timing = options.timing ?? productionTiming;
  const tombstones = new Tombstones(options.client, options.tableName);
  const deletion = new AccountDeletion({
    tombstones,
    sweeper: new PartitionSweeper(options.client, options.tableName, options.sweep),
    users: options.users,
    timing,
    clock: options.clock,
    logger: options.logger,
    sleep: options.sleep,
  });
  return { deletion, tombstones, writeDeadlineMs: timing.writeDeadlineMs };
}
