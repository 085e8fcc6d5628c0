/**
 * What the chunk collector needs to find its work: every namespace that may hold stored objects (an
 * item per namespace, written when its first upload starts, listed through the keys-only gc index),
 * and its own bookkeeping (one-time migrations) under the GC partition.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GC_INDEX, keys } from './keys';

export class Namespaces {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * Makes the namespace known to the collector. Idempotent, and a repeat changes no indexed attribute,
   * so it costs the index nothing.
   */
  async mark(ownerId: string, now: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.table,
        Key: keys.namespace(ownerId),
        UpdateExpression: 'SET gcpk = :gcpk, gcsk = :gcsk, ownerId = :owner, createdAt = if_not_exists(createdAt, :now)',
        ExpressionAttributeValues: { ...prefixed(keys.namespaceIndex(ownerId)), ':owner': ownerId, ':now': now.toISOString() },
      }),
    );
  }

  /** Every known namespace, a page at a time. */
  async *all(): AsyncGenerator<string[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: GC_INDEX,
          KeyConditionExpression: 'gcpk = :pk',
          ExpressionAttributeValues: { ':pk': keys.namespaceIndex('').gcpk },
          ExclusiveStartKey: start,
        }),
      );
      yield (out.Items ?? []).map((item) => String(item.gcsk));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
  }
}

/** A one-time job of the collector: done, or where it got to. */
export interface JobState {
  readonly done: boolean;
  /** Where to continue (a Scan's LastEvaluatedKey). */
  readonly position?: Record<string, unknown>;
  readonly updatedAt: string;
}

export class CollectorState {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async job(name: string): Promise<JobState | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.gcState(name), ConsistentRead: true }));
    if (Item === undefined) return undefined;
    return { done: Item.done === true, updatedAt: String(Item.updatedAt), ...(Item.position ? { position: Item.position as Record<string, unknown> } : {}) };
  }

  async saveJob(name: string, state: JobState): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...keys.gcState(name), ...state } }));
  }
}

const prefixed = (values: Record<string, string>) => Object.fromEntries(Object.entries(values).map(([k, v]) => [`:${k}`, v]));
