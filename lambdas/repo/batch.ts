/**
 * DynamoDB's batch calls, whole: split into the per-call maximum, run a few at a time, and retry
 * whatever DynamoDB leaves unprocessed under load (with backoff) until nothing is left.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { backoffDelayMs, sleep } from '@shared/backoff';

export type Key = { pk: string; sk: string };
type Item = Record<string, unknown>;

/** Which attributes a batch get returns (all when absent). */
export interface Projection {
  readonly ProjectionExpression: string;
  readonly ExpressionAttributeNames?: Record<string, string>;
}

/** BatchGetItem's and BatchWriteItem's per-call maxima. */
const GET_BATCH = 100;
const WRITE_BATCH = 25;
const PARALLEL_BATCHES = 4;
const MAX_ATTEMPTS = 8;

function inBatches<T>(all: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < all.length; i += size) batches.push(all.slice(i, i + size));
  return batches;
}

/** Calls `send` with what is still pending until it reports nothing unprocessed. */
async function untilProcessed<T>(what: string, batch: T[], send: (pending: T[]) => Promise<T[]>): Promise<void> {
  let pending = batch;
  for (let attempt = 0; pending.length > 0; attempt++) {
    if (attempt >= MAX_ATTEMPTS) throw new Error(`${what} left ${pending.length} keys unprocessed`);
    if (attempt > 0) await sleep(backoffDelayMs(attempt));
    pending = await send(pending);
  }
}

/** The items among `keys` that exist (strongly consistent reads), in no particular order. */
export async function batchGetAll(db: DynamoDBDocumentClient, table: string, keys: readonly Key[], projection?: Projection): Promise<Item[]> {
  const limit = pLimit(PARALLEL_BATCHES);
  const items: Item[] = [];
  await Promise.all(
    inBatches(keys, GET_BATCH).map((batch) =>
      limit(() =>
        untilProcessed(`batch get on ${table}`, batch, async (pending) => {
          const out = await db.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true, ...projection } } }));
          items.push(...(out.Responses?.[table] ?? []));
          return (out.UnprocessedKeys?.[table]?.Keys ?? []) as Key[];
        }),
      ),
    ),
  );
  return items;
}

type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Key } };

async function batchWriteAll(db: DynamoDBDocumentClient, table: string, what: string, requests: readonly WriteRequest[]): Promise<void> {
  const limit = pLimit(PARALLEL_BATCHES);
  await Promise.all(
    inBatches(requests, WRITE_BATCH).map((batch) =>
      limit(() =>
        untilProcessed(`batch ${what} on ${table}`, batch, async (pending) => {
          const out = await db.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
          return (out.UnprocessedItems?.[table] ?? []) as WriteRequest[];
        }),
      ),
    ),
  );
}

/** Deletes every key (absent ones are no-ops, so a repeated sweep is harmless). */
export function batchDeleteAll(db: DynamoDBDocumentClient, table: string, keys: readonly Key[]): Promise<void> {
  return batchWriteAll(db, table, 'delete', keys.map((Key) => ({ DeleteRequest: { Key } })));
}

/** Writes every item unconditionally (BatchWriteItem has no conditions): only for items a rewrite cannot harm. */
export function batchPutAll(db: DynamoDBDocumentClient, table: string, items: readonly Item[]): Promise<void> {
  return batchWriteAll(db, table, 'put', items.map((Item) => ({ PutRequest: { Item } })));
}
