/**
 * The per-namespace change journal. A counter item holds the last sequence number; every change
 * advances it in the same transaction that writes the entry, so the journal is gapless and in
 * commit order, and a sync cursor is just a number.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';
import type { JournalEntry } from './items';
import type { TaggedItem } from './transact';

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
            Item: { ...keys.journal(ownerId, entry.seq), ...entry },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
      })),
    ];
  }
}
