/**
 * Why the tracker refused a pack (domain/pack-tracker.ts), kept while an upload that sent it may
 * still commit, so the commit can answer PACK_REJECTED instead of an endless CHUNKS_MISSING.
 * Only the tracker writes them; writing one again is harmless.
 */
import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '@contract/limits';
import { batchGetAll } from './batch';
import { keys, TTL_ATTRIBUTE } from './keys';

export class RejectedPacks {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async record(ownerId: string, packHash: string, reason: string, now: Date): Promise<void> {
    const ttl = Math.floor(now.getTime() / 1000) + LIMITS.uploadSessionTtlSeconds;
    await this.db.send(
      new PutCommand({ TableName: this.table, Item: { ...keys.rejectedPack(ownerId, packHash), reason, rejectedAt: now.toISOString(), [TTL_ATTRIBUTE]: ttl } }),
    );
  }

  /** The reasons of the rejected packs among `packHashes`, by pack hash. */
  async lookup(ownerId: string, packHashes: readonly string[]): Promise<Map<string, string>> {
    const items = await batchGetAll(this.db, this.table, [...new Set(packHashes)].map((h) => keys.rejectedPack(ownerId, h)), {
      ProjectionExpression: 'sk, reason',
    });
    return new Map(items.map((item) => [String(item.sk), String(item.reason)]));
  }
}
