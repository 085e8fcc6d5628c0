/**
 * Progress of the data migrations (domain/migrations), kept in the table they migrate: per migration
 * where its walk stopped and what it did, so a migration interrupted by a timeout or a failed deploy
 * resumes where it was; and which deploy request last paused for requests on replaced code to finish.
 */
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';
import type { WalkCursor } from './table-walk';

export type MigrationStatus = 'running' | 'done' | 'stale';

export interface MigrationState {
  readonly id: string;
  /** running: to be (or being) walked from `cursor`; done: finished; stale: done, but older code ran since (walk again). */
  readonly status: MigrationStatus;
  readonly cursor?: WalkCursor;
  readonly scanned: number;
  readonly updated: number;
  /** Items whose content could not be found (logged), left as they were. */
  readonly unresolved: number;
  readonly startedAt: string;
  readonly doneAt?: string;
}

export class MigrationStates {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(id: string): Promise<MigrationState | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.migration(id), ConsistentRead: true }));
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, ...state } = Item;
    return state as MigrationState;
  }

  async put(state: MigrationState): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...keys.migration(state.id), ...state } }));
  }

  /** The deploy request that last paused before migrating (see domain/migrations/runner.ts). */
  async pausedFor(): Promise<string | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.migrationRunner(), ConsistentRead: true }));
    return typeof Item?.pausedFor === 'string' ? Item.pausedFor : undefined;
  }

  async markPaused(requestId: string): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...keys.migrationRunner(), pausedFor: requestId } }));
  }
}
