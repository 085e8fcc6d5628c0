/**
 * The per-namespace change journal. A counter item holds the last sequence number; every change
 * advances it in the same transaction that writes the entry, so the journal is gapless and in
 * commit order, and a sync cursor is just a number. Entries expire after
 * LIMITS.journalRetentionSeconds (DynamoDB TTL); the change feed tells a cursor that fell behind
 * the oldest entry left to start over.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LIMITS } from '@contract/limits';
import { batchGetAll } from './batch';
import { keys, TTL_ATTRIBUTE } from './keys';
import { queryPage } from './query';
import type { JournalEntry, StoredJournalEntry } from './items';
import type { TaggedItem } from './transact';

export interface JournalPage {
  readonly entries: StoredJournalEntry[];
  /** More entries follow the last one returned. */
  readonly more: boolean;
}

const toEntry = (item: Record<string, unknown>): StoredJournalEntry => {
  const { pk: _pk, sk: _sk, ...entry } = item;
  return entry as unknown as StoredJournalEntry;
};

/** When an entry written at `at` (ISO time) expires, in epoch seconds. */
export const journalExpiry = (at: string): number => Math.floor(Date.parse(at) / 1000) + LIMITS.journalRetentionSeconds;

export class JournalRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** The last sequence number written in the namespace; 0 before the first change. */
  async lastSeq(ownerId: string): Promise<number> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: keys.journalCounter(ownerId), ConsistentRead: true }),
    );
    return typeof Item?.seq === 'number' ? Item.seq : 0;
  }

  /** The last sequence number of each namespace (0 for one without changes), read together. */
  async lastSeqs(ownerIds: readonly string[]): Promise<Map<string, number>> {
    const distinct = [...new Set(ownerIds)];
    const items = await batchGetAll(this.db, this.table, distinct.map((id) => keys.journalCounter(id)));
    const seqs = new Map(distinct.map((id) => [id, 0]));
    for (const item of items) if (typeof item.seq === 'number') seqs.set(String(item.pk).slice(keys.journalCounter('').pk.length), item.seq);
    return seqs;
  }

  /** Up to `limit` entries after `afterSeq`, in order (strongly consistent: a committed change is never skipped). */
  async readAfter(ownerId: string, afterSeq: number, limit: number): Promise<JournalPage> {
    const start = keys.journal(ownerId, afterSeq);
    const page = await queryPage(
      this.db,
      { TableName: this.table, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': start.pk }, ConsistentRead: true },
      limit,
      start,
    );
    return { entries: page.items.map(toEntry), more: page.last !== undefined };
  }

  /**
   * Items that append `entry` (whose seq must be lastSeq + 1). The counter's condition fails when
   * another change got there first; the caller re-reads and tries again.
   */
  append(ownerId: string, lastSeq: number, entry: JournalEntry): TaggedItem[] {
    return this.appendMany(ownerId, lastSeq, [entry]);
  }

  /** Items that append consecutive entries (seq lastSeq + 1, + 2, ...) in one transaction, moving the counter once. */
  appendMany(ownerId: string, lastSeq: number, entries: readonly JournalEntry[]): TaggedItem[] {
    entries.forEach((entry, i) => {
      if (entry.seq !== lastSeq + 1 + i) throw new Error(`journal entry ${i} has seq ${entry.seq}, not ${lastSeq + 1 + i}`);
    });
    return [
      {
        tag: 'counter',
        item: {
          Update: {
            TableName: this.table,
            Key: keys.journalCounter(ownerId),
            UpdateExpression: 'SET #seq = :next',
            ConditionExpression: lastSeq === 0 ? 'attribute_not_exists(#seq)' : '#seq = :last',
            ExpressionAttributeNames: { '#seq': 'seq' },
            ExpressionAttributeValues: { ':next': lastSeq + entries.length, ...(lastSeq === 0 ? {} : { ':last': lastSeq }) },
          },
        },
      },
      ...entries.map((entry) => ({
        tag: 'journal',
        item: {
          Put: {
            TableName: this.table,
            Item: { ...keys.journal(ownerId, entry.seq), ...entry, [TTL_ATTRIBUTE]: journalExpiry(entry.at) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      })),
    ];
  }
}
