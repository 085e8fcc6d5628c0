/**
 * Which chunks of an owner's namespace another user has proved to hold, by uploading their bytes
 * (verified by the tracker). Dedup for that user reaches exactly these, plus the chunks of files
 * the user may read: never the rest of the namespace. Only the tracker writes them.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '@contract/limits';
import { batchGetAll } from './batch';
import { keys, TTL_ATTRIBUTE } from './keys';

export interface HeldChunk {
  readonly hash: string;
  /** Plaintext bytes, as the tracker counted them. */
  readonly size: number;
  readonly provenAt: string;
}

export class HeldChunks {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The hashes among `hashes` that `uploaderId` has proved to hold in `ownerId`'s namespace. */
  async lookup(ownerId: string, uploaderId: string, hashes: readonly string[]): Promise<Set<string>> {
    const unique = [...new Set(hashes)];
    const items = await batchGetAll(this.db, this.table, unique.map((hash) => keys.held(ownerId, uploaderId, hash)), { ProjectionExpression: 'sk' });
    return new Set(items.map((item) => String(item.sk)));
  }

  /**
   * Records (or refreshes) a proof. Writing it again is harmless, so duplicated and reordered
   * notifications need no condition. It expires with the sessions it can serve.
   */
  async record(ownerId: string, uploaderId: string, held: HeldChunk): Promise<void> {
    const { hash, ...rest } = held;
    const ttl = Math.floor(Date.parse(held.provenAt) / 1000) + LIMITS.uploadSessionTtlSeconds;
    await this.db.send(new PutCommand({ TableName: this.table, Item: { ...keys.held(ownerId, uploaderId, hash), ...rest, [TTL_ATTRIBUTE]: ttl } }));
  }
}
