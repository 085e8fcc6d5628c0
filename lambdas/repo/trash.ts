/**
 * Trash entries (layout in keys.ts): one per deleted file, in the owner's TRASH# partition, sorted by
 * group id, which begins with the deletion time: the trash lists newest first and the files of a
 * group (deleted together) sit side by side. Conditions here make restore and purge exclusive: each
 * removes the entry on condition it still exists, so exactly one of them wins.
 */
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { keys } from './keys';
import { queryAll, queryPage } from './query';
import type { FileState, TrashItem } from './items';
import type { TaggedItem } from './transact';

/** A position in a trash listing, as Query hands it out. */
export type TrashListingKey = { pk: string; sk: string };

export interface TrashPage {
  readonly items: TrashItem[];
  readonly lastKey?: TrashListingKey;
}

/**
 * The trash group a deleted file belongs to: the one its delete named, else its own (deletion time
 * and file id), which is also how files deleted before the trash existed are found.
 */
export const trashGroupOf = (file: Pick<FileState, 'fileId' | 'updatedAt' | 'trashGroup'>): string => file.trashGroup ?? `${file.updatedAt}~${file.fileId}`;

const toItem = (item: Record<string, unknown>): TrashItem => {
  const { pk: _pk, sk: _sk, ...entry } = item;
  return entry as unknown as TrashItem;
};

/** True when `key` is a position in `ownerId`'s own trash. */
export function isTrashListingKeyOf(ownerId: string, key: unknown): key is TrashListingKey {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return false;
  const k = key as Record<string, unknown>;
  return Object.keys(k).length === 2 && k.pk === keys.trash(ownerId, '', '').pk && typeof k.sk === 'string';
}

export class TrashRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async get(ownerId: string, groupId: string, fileId: string): Promise<TrashItem | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: keys.trash(ownerId, groupId, fileId), ConsistentRead: true }));
    return Item ? toItem(Item) : undefined;
  }

  /** One page of the trash, newest group first. */
  async page(ownerId: string, limit: number, startKey?: TrashListingKey): Promise<TrashPage> {
    const page = await queryPage(
      this.db,
      {
        TableName: this.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.trash(ownerId, '', '').pk },
        ScanIndexForward: false,
        ConsistentRead: true,
      },
      limit,
      startKey,
    );
    return {
      items: page.items.map(toItem),
      ...(page.last ? { lastKey: { pk: String(page.last.pk), sk: String(page.last.sk) } } : {}),
    };
  }

  /** Every file of one group. */
  async group(ownerId: string, groupId: string): Promise<TrashItem[]> {
    const { pk, sk } = keys.trash(ownerId, groupId, '');
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :group)',
      ExpressionAttributeValues: { ':pk': pk, ':group': sk },
      ConsistentRead: true,
    });
    return items.map(toItem);
  }

  /** The whole trash of a namespace, a page at a time, oldest first (strongly consistent). */
  async *all(ownerId: string): AsyncGenerator<TrashItem[]> {
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': keys.trash(ownerId, '', '').pk },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      yield (out.Items ?? []).map(toItem);
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
  }

  /** Puts a deleted file in the trash, as one item of its delete's transaction. */
  put(entry: TrashItem): TaggedItem {
    return {
      tag: 'trash',
      item: {
        Put: {
          TableName: this.table,
          Item: { ...keys.trash(entry.ownerId, entry.groupId, entry.fileId), ...entry },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    };
  }

  /** Takes a file out of the trash (restore or purge), on condition it is still there. */
  remove(entry: Pick<TrashItem, 'ownerId' | 'groupId' | 'fileId'>): TaggedItem {
    return {
      tag: 'trash',
      item: {
        Delete: {
          TableName: this.table,
          Key: keys.trash(entry.ownerId, entry.groupId, entry.fileId),
          ConditionExpression: 'attribute_exists(pk)',
        },
      },
    };
  }
}
