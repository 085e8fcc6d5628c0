/**
 * The per-namespace chunk registry: which chunks the tracker has verified. Only the tracker writes
 * it; uploads read it to find what is missing and to check a manifest before commit.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetAll } from './batch';
import { keys } from './keys';
import type { ChunkRecord } from './items';

export class ChunkRegistry {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The registered chunks among `hashes` (duplicates welcome), keyed by hash. */
  async lookup(ownerId: string, hashes: readonly string[]): Promise<Map<string, ChunkRecord>> {
    const unique = [...new Set(hashes)];
    const items = await batchGetAll(
      this.db,
      this.table,
      unique.map((hash) => keys.chunk(ownerId, hash)),
      { ProjectionExpression: 'sk, #size, storedSize, compression, registeredAt', ExpressionAttributeNames: { '#size': 'size' } },
    );
    const found = new Map<string, ChunkRecord>();
    for (const item of items) {
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
}
