/**
 * The per-namespace registry of stored objects: chunks the tracker has verified (blobs among them name
 * their pack), the manifests kept in S3, and the packs the tracker verified. Every entry carries
 * `touchedAt`, the last time something started relying on it, and, while the collector deletes it,
 * `gc = deleting`. Readers treat a deleting entry as missing, nothing registers or touches over one,
 * and the collector removes an entry only while it is still deleting.
 * The protocol is in lambdas/domain/gc/README.md; the conditions that make it hold live here.
 */
import { PutCommand, QueryCommand, UpdateCommand, DeleteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import pLimit from 'p-limit';
import { LIMITS, S3_LAYOUT } from '@contract/limits';
import { batchGetAll } from './batch';
import { keys } from './keys';
import { Transactions } from './transact';
import type { BlobLocation, ChunkRecord } from './items';

/** What the collector sees of one registry entry. */
export interface RegistryEntry {
  /** The entry's sort key: a chunk hash, `manifest#<hash>` or `pack#<hash>`. */
  readonly id: string;
  readonly kind: 'chunk' | 'manifest' | 'pack';
  /** Chunk, manifest or pack hash, as references (and blobs) name them. */
  readonly hash: string;
  /** A blob's pack (its hash): the pack must stay while this entry does. */
  readonly inPack?: string;
  /** The S3 object the entry stands for. */
  readonly key: string;
  /** registeredAt for entries written before entries were touched. */
  readonly touchedAt: string;
  readonly deleting: boolean;
}

export type Registration = 'registered' | 'exists' | 'deleting';

const MANIFEST_PREFIX = 'manifest#';
const PACK_PREFIX = 'pack#';
/**
 * A touch is written only when the last one is older than half the grace period, so a busy namespace
 * writes almost nothing, and still no entry the collector may delete was relied on within its grace.
 */
const TOUCH_INTERVAL_MS = (LIMITS.gcGraceSeconds * 1000) / 2;
const DELETING = 'deleting';
/** Touches sent at once when many chunks need one (a long file reused after a quiet spell). */
const TOUCH_CONCURRENCY = 16;
const REGISTRY_PAGE = 1_000;
/** TransactWriteItems' item limit. */
const TRANSACT_ITEMS = 100;
/** Registration transactions of one pack in flight at once. */
const PARALLEL_REGISTRATIONS = 4;

const isConditionFailure = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

export class ChunkRegistry {
  private readonly transactions: Transactions;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {
    this.transactions = new Transactions(db);
  }

  /** The registered chunks among `hashes` (duplicates welcome), keyed by hash; one being deleted counts as missing. */
  async lookup(ownerId: string, hashes: readonly string[]): Promise<Map<string, ChunkRecord>> {
    const unique = [...new Set(hashes)];
    const items = await batchGetAll(
      this.db,
      this.table,
      unique.map((hash) => keys.chunk(ownerId, hash)),
      {
        ProjectionExpression: 'sk, #size, storedSize, compression, registeredAt, touchedAt, #gc, pack',
        ExpressionAttributeNames: { '#size': 'size', '#gc': 'gc' },
      },
    );
    const found = new Map<string, ChunkRecord>();
    for (const item of items) {
      if (item.gc === DELETING) continue;
      found.set(String(item.sk), {
        hash: String(item.sk),
        size: Number(item.size),
        storedSize: Number(item.storedSize),
        compression: item.compression === 'gzip' ? 'gzip' : 'none',
        registeredAt: String(item.registeredAt),
        ...(typeof item.touchedAt === 'string' ? { touchedAt: item.touchedAt } : {}),
        ...(isBlobLocation(item.pack) ? { pack: { hash: item.pack.hash, offset: item.pack.offset } } : {}),
      });
    }
    return found;
  }

  /**
   * The registered chunks among `hashes` that the caller may now rely on (dedup: not send them, commit
   * a manifest naming them, restore a version made of them). Each one not touched for TOUCH_INTERVAL_MS
   * is touched at `now`, on condition that the collector is not deleting it; a chunk whose touch fails
   * is left out, so the caller treats it as missing.
   */
  async rely(ownerId: string, hashes: readonly string[], now: Date): Promise<Map<string, ChunkRecord>> {
    const found = await this.lookup(ownerId, hashes);
    const staleBefore = new Date(now.getTime() - TOUCH_INTERVAL_MS).toISOString();
    const stale = [...found.values()].filter((c) => (c.touchedAt ?? c.registeredAt) < staleBefore);
    const limit = pLimit(TOUCH_CONCURRENCY);
    const lost = await Promise.all(stale.map((c) => limit(async () => ((await this.touch(keys.chunk(ownerId, c.hash), now)) ? undefined : c.hash))));
    for (const hash of lost) if (hash !== undefined) found.delete(hash);
    return found;
  }

  /**
   * Relies on one chunk like `rely`, and says why it cannot: `deleting` while the collector deletes its
   * key (nothing may be put there until it is done, the entry then gone), `absent` when none is registered.
   */
  async relyOn(ownerId: string, hash: string, now: Date): Promise<'relied' | 'deleting' | 'absent'> {
    if ((await this.rely(ownerId, [hash], now)).has(hash)) return 'relied';
    const [entry] = await batchGetAll(this.db, this.table, [keys.chunk(ownerId, hash)], { ProjectionExpression: '#gc', ExpressionAttributeNames: { '#gc': 'gc' } });
    if (entry === undefined) return 'absent';
    if (entry.gc === DELETING) return 'deleting';
    // Registered between the two reads: rely on it now (a touch that fails then means it is being deleted).
    return (await this.rely(ownerId, [hash], now)).has(hash) ? 'relied' : 'deleting';
  }

  /**
   * Records that a manifest object at `key` is relied on from `now` (registering it the first time).
   * False while the collector is deleting it: the caller must not write or use the object then.
   */
  relyOnManifest(ownerId: string, hash: string, key: string, now: Date): Promise<boolean> {
    return this.stamp(keys.manifestObject(ownerId, hash), now, key);
  }

  /**
   * Records that the tracker is about to register blobs of pack `hash` (registering the pack the first
   * time), always at `now`: the collector deletes a pack only when no blob names it and nothing
   * stamped it within the grace period, so blobs registered after this stamp keep it. False while the
   * collector is deleting the pack: nothing of it may be registered then (lambdas/domain/gc/README.md).
   */
  relyOnPack(ownerId: string, hash: string, now: Date): Promise<boolean> {
    return this.stamp(keys.packObject(ownerId, hash), now);
  }

  /** Sets touchedAt (and registeredAt the first time, and the object's `key` if given) on an entry the collector is not deleting. */
  private async stamp(entry: { pk: string; sk: string }, now: Date, key?: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: entry,
          UpdateExpression: `SET touchedAt = :now, registeredAt = if_not_exists(registeredAt, :now)${key === undefined ? '' : ', #key = :key'}`,
          ConditionExpression: 'attribute_not_exists(#gc)',
          ExpressionAttributeNames: { '#gc': 'gc', ...(key === undefined ? {} : { '#key': 'key' }) },
          ExpressionAttributeValues: { ':now': now.toISOString(), ...(key === undefined ? {} : { ':key': key }) },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Records a verified chunk. Never over an existing entry: `exists` when it is registered already
   * (duplicate or late event), `deleting` when the collector is deleting the key (ask again later).
   */
  async register(ownerId: string, record: ChunkRecord): Promise<Registration> {
    const { hash, ...rest } = record;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.chunk(ownerId, hash), ...rest, touchedAt: record.touchedAt ?? record.registeredAt },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return 'registered';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    const [existing] = await batchGetAll(this.db, this.table, [keys.chunk(ownerId, hash)], { ProjectionExpression: '#gc', ExpressionAttributeNames: { '#gc': 'gc' } });
    return existing?.gc === DELETING ? 'deleting' : 'exists';
  }

  /**
   * Records many verified chunks (a pack's blobs) as `register` would each, answering in order: the
   * entries present are read in one batched pass, the others written in transactions of up to 100
   * (each put conditional, so nothing is overwritten); a transaction that loses a race falls back to
   * one `register` per chunk. A thousand blobs cost about a dozen calls instead of a thousand, four
   * transactions at a time.
   */
  async registerMany(ownerId: string, records: readonly ChunkRecord[]): Promise<Registration[]> {
    const existing = await batchGetAll(this.db, this.table, records.map((r) => keys.chunk(ownerId, r.hash)), {
      ProjectionExpression: 'sk, #gc',
      ExpressionAttributeNames: { '#gc': 'gc' },
    });
    const state = new Map<string, Registration>(existing.map((item) => [String(item.sk), item.gc === DELETING ? 'deleting' : 'exists']));
    const fresh = records.filter((r) => !state.has(r.hash));
    const groups: ChunkRecord[][] = [];
    for (let i = 0; i < fresh.length; i += TRANSACT_ITEMS) groups.push(fresh.slice(i, i + TRANSACT_ITEMS));
    // The groups touch distinct keys: a few in flight, so a pack's registration is not a chain of round trips.
    const limit = pLimit(PARALLEL_REGISTRATIONS);
    await Promise.all(
      groups.map((group) =>
        limit(async () => {
          const outcome = await this.transactions.write(
            group.map(({ hash, ...rest }) => ({
              tag: hash,
              item: {
                Put: {
                  TableName: this.table,
                  Item: { ...keys.chunk(ownerId, hash), ...rest, touchedAt: rest.touchedAt ?? rest.registeredAt },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            })),
          );
          for (const r of group) state.set(r.hash, outcome.ok ? 'registered' : await this.register(ownerId, r));
        }),
      ),
    );
    return records.map((r) => state.get(r.hash)!);
  }

  // ---- the collector's side ----

  /** Every entry of a namespace, a page at a time (strongly consistent). */
  async *entries(ownerId: string): AsyncGenerator<RegistryEntry[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.chunk(ownerId, '').pk },
          ProjectionExpression: 'sk, registeredAt, touchedAt, #gc, #key, pack',
          ExpressionAttributeNames: { '#gc': 'gc', '#key': 'key' },
          ConsistentRead: true,
          Limit: REGISTRY_PAGE,
          ExclusiveStartKey: start,
        }),
      );
      yield (page.Items ?? []).map((item) => toEntry(ownerId, item));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
  }

  /**
   * Step 1 of deleting: marks the entry deleting, only if nothing touched it since `cutoff` (or it is
   * marked already, by a run that stopped half way). False means something relies on it: keep it.
   */
  async markDeleting(ownerId: string, id: string, cutoff: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: keys.chunk(ownerId, '').pk, sk: id },
          UpdateExpression: 'SET #gc = :deleting',
          ConditionExpression:
            'attribute_exists(pk) AND (#gc = :deleting OR (attribute_not_exists(#gc) AND ' +
            '(touchedAt < :cutoff OR (attribute_not_exists(touchedAt) AND registeredAt < :cutoff))))',
          ExpressionAttributeNames: { '#gc': 'gc' },
          ExpressionAttributeValues: { ':deleting': DELETING, ':cutoff': cutoff.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /** Step 3 of deleting: removes the entry, only while it is still marked deleting. */
  async forget(ownerId: string, id: string): Promise<boolean> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: keys.chunk(ownerId, '').pk, sk: id },
          ConditionExpression: '#gc = :deleting',
          ExpressionAttributeNames: { '#gc': 'gc' },
          ExpressionAttributeValues: { ':deleting': DELETING },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  /**
   * Registers a manifest object written before manifests were registered (the collector's migration),
   * relied on from `now`; an entry that exists already is left as it is.
   */
  async adoptManifest(ownerId: string, hash: string, key: string, now: Date): Promise<void> {
    await this.db
      .send(
        new PutCommand({
          TableName: this.table,
          Item: { ...keys.manifestObject(ownerId, hash), key, registeredAt: now.toISOString(), touchedAt: now.toISOString() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      )
      .catch((error: unknown) => {
        if (!isConditionFailure(error)) throw error;
      });
  }

  /** Touches an entry; false when it is gone or being deleted. */
  private async touch(key: { pk: string; sk: string }, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET touchedAt = :now',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#gc)',
          ExpressionAttributeNames: { '#gc': 'gc' },
          ExpressionAttributeValues: { ':now': now.toISOString() },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }
}

const isBlobLocation = (value: unknown): value is BlobLocation =>
  typeof (value as BlobLocation | undefined)?.hash === 'string' && typeof (value as BlobLocation).offset === 'number';

function toEntry(ownerId: string, item: Record<string, unknown>): RegistryEntry {
  const id = String(item.sk);
  const touchedAt = String(item.touchedAt ?? item.registeredAt ?? '');
  const deleting = item.gc === DELETING;
  if (id.startsWith(MANIFEST_PREFIX)) {
    const hash = id.slice(MANIFEST_PREFIX.length);
    return { id, kind: 'manifest', hash, key: String(item.key ?? S3_LAYOUT.manifestKey(ownerId, hash)), touchedAt, deleting };
  }
  if (id.startsWith(PACK_PREFIX)) {
    const hash = id.slice(PACK_PREFIX.length);
    return { id, kind: 'pack', hash, key: S3_LAYOUT.packKey(ownerId, hash), touchedAt, deleting };
  }
  const inPack = isBlobLocation(item.pack) ? { inPack: item.pack.hash } : {};
  return { id, kind: 'chunk', hash: id, key: S3_LAYOUT.chunkKey(ownerId, id), touchedAt, deleting, ...inPack };
}
