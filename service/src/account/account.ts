/** The account lifecycle's dependencies, put together on the notes table's DynamoDB client. */
import type { Clock } from "../clock";
import type { Deadline } from "../deadline";
import type { DynamoTransport } from "../dynamo/transport";
import type { Logger } from "../logger";
import { AccountDeletion } from "./deletion";
import { PartitionSweeper, type SweepOptions } from "./sweep";
import { productionTiming, type DeletionTiming } from "./timing";
import { Tombstones } from "./tombstones";
import type { UserDirectory } from "./user-directory";

/** What the notes handlers need of the account: the tombstone check before every create. */
export interface AccountStatus {
  /** Throws AccountDeletedError for a deleted account; else the deadline for the create's writes. */
  assertActive(userId: string): Promise<Deadline>;
}

export interface AccountDeps {
  readonly status: AccountStatus;
  readonly deletion: AccountDeletion;
  /** The tombstones (the reaper reads the pending ones). */
  readonly tombstones: Tombstones;
  /** The deadline of writes that check no tombstone (updates, deletes). */
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
  const tombstones = new Tombstones(options.client, options.tableName, timing);
  const deletion = new AccountDeletion({
    tombstones,
    sweeper: new PartitionSweeper(options.client, options.tableName, options.sweep),
    users: options.users,
    timing,
    clock: options.clock,
    logger: options.logger,
    sleep: options.sleep,
  });
  return { status: tombstones, deletion, tombstones, writeDeadlineMs: timing.writeDeadlineMs };
}
