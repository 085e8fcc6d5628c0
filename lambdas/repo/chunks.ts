/**
 * The per-namespace chunk registry: which chunks the tracker has verified. Only the tracker writes
 * it; uploads read it to find what is missing and to check a manifest before commit.
 */
import { BatchGetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { backoffDelayMs, sleep } from '@shared/backoff';
import { keys } from './keys';
import type { ChunkRecord } from './items';

/** BatchGetItem's per-call maximum. */
const BATCH_SIZE = 100;
const PARALLEL_BATCHES = 4;
const MAX_ATTEMPTS = 8;

type Key = { pk: string; sk: string };

export class ChunkRegistry {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The registered chunks among `hashes` (duplicates welcome), keyed by hash. */
  async lookup(ownerId: string, hashes: readonly string[]): Promise<Map<string, ChunkRecord>> {
    const unique = [...new Set(hashes)];
    const batches: Key[][] = [];
    for (let i = 0; i < unique.length; i += BATCH_SIZE) {
      batches.push(unique.slice(i, i + BATCH_SIZE).map((hash) => keys.chunk(ownerId, hash)));
    }
    const limit = pLimit(PARALLEL_BATCHES);
    const found = new Map<string, ChunkRecord>();
    const pages = await Promise.all(batches.map((batch) => limit(() => this.batchGet(batch))));
    for (const item of pages.flat()) {
      found.set(String(item.sk), {
        hash: String(item.sk),
        size: Number(item.size),
        storedSize: Number(item.storedSize),
        compression: item.compression === 'gzip' ? 'gzip' : 'none',
        registeredAt: String(item.registeredAt),
      });
    }
    return found;
  }

  /** Records a verified chunk; false when it was registered already (duplicate or late event). */
  async register(ownerId: string, record: ChunkRecord): Promise<boolean> {
    const { hash, ...rest } = record;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.chunk(ownerId, hash), ...rest },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** One BatchGetItem, retrying whatever DynamoDB leaves unprocessed under load. */
  private async batchGet(batch: Key[]): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let pending: Key[] = batch;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt >= MAX_ATTEMPTS) throw new Error(`chunk registry lookup left ${pending.length} keys unprocessed`);
      if (attempt > 0) await sleep(backoffDelayMs(attempt));
      const out = await this.db.send(
        new BatchGetCommand({
          RequestItems: {
            [this.table]: {
              Keys: pending,
              ConsistentRead: true,
              ProjectionExpression: 'sk, #size, storedSize, compression, registeredAt',
              ExpressionAttributeNames: { '#size': 'size' },
            },
          },
        }),
      );
      items.push(...(out.Responses?.[this.table] ?? []));
      pending = (out.UnprocessedKeys?.[this.table]?.Keys ?? []) as Key[];
    }
    return items;
  }
}
