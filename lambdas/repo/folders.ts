/**
 * Folder path entries as a folder move or delete handles them (domain/folder-changes.ts): the whole
 * subtree of a folder in one range read (path entries sort by path key inside the namespace's
 * partition, so `PATH#/a/` begins every entry under /a), and the marks that keep changes out of a
 * folder while a move or delete of it is under way (items.ts FolderEntry).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { baseName, pathKey } from '@contract/paths';
import { keys } from './keys';
import { listingKeys, UNMARKED, withoutKeys } from './files';
import { queryAll } from './query';
import type { FolderEntry, PathEntry } from './items';
import type { TaggedItem } from './transact';

const NAMES = { '#kind': 'kind', '#path': 'path', '#name': 'name' };

export class FolderRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Every path entry below `folder` (files and folders, at any depth), strongly consistent. */
  async descendants(ownerId: string, folder: string): Promise<PathEntry[]> {
    const { pk, sk } = keys.path(ownerId, `${pathKey(folder)}/`);
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': sk },
      ConsistentRead: true,
    });
    return items.map((i) => withoutKeys<PathEntry>(i));
  }

  /** Sets one mark on an existing folder: kept when it is already this one (a resumed request), refused when any other is there. */
  mark(ownerId: string, folder: string, mark: 'movingTo' | 'deleting', value: string): TaggedItem {
    return {
      tag: `mark:${folder}`,
      item: {
        Update: {
          TableName: this.table,
          Key: keys.path(ownerId, pathKey(folder)),
          UpdateExpression: 'SET #mark = :value',
          ConditionExpression: `#kind = :folder AND (#mark = :value OR (${UNMARKED}))`,
          ExpressionAttributeNames: { '#kind': 'kind', '#mark': mark },
          ExpressionAttributeValues: { ':folder': 'folder', ':value': value },
        },
      },
    };
  }

  /** Makes the destination of a folder move, marked with its source: it must be free, or already this move's. */
  markDestination(ownerId: string, to: string, from: string): TaggedItem {
    const listing = listingKeys(ownerId, to);
    return {
      tag: `mark:${to}`,
      item: {
        Update: {
          TableName: this.table,
          Key: keys.path(ownerId, pathKey(to)),
          UpdateExpression: 'SET #kind = :folder, #path = if_not_exists(#path, :path), #name = if_not_exists(#name, :name), gsi1pk = :gsi1pk, gsi1sk = :gsi1sk, movingFrom = :from',
          ConditionExpression: 'attribute_not_exists(pk) OR movingFrom = :from',
          ExpressionAttributeNames: NAMES,
          ExpressionAttributeValues: { ':folder': 'folder', ':path': to, ':name': baseName(to), ':gsi1pk': listing.gsi1pk, ':gsi1sk': listing.gsi1sk, ':from': from },
        },
      },
    };
  }

  /** A folder entry at a new path (a subfolder carried along by a move); an existing folder there is kept. */
  putFolder(ownerId: string, path: string): TaggedItem {
    const entry: FolderEntry = { kind: 'folder', path, name: baseName(path) };
    return {
      tag: `folder:${path}`,
      item: {
        Put: {
          TableName: this.table,
          Item: { ...keys.path(ownerId, pathKey(path)), ...listingKeys(ownerId, path), ...entry },
          ConditionExpression: 'attribute_not_exists(pk) OR #kind = :folder',
          ExpressionAttributeNames: { '#kind': 'kind' },
          ExpressionAttributeValues: { ':folder': 'folder' },
        },
      },
    };
  }

  /** Removes an unmarked subfolder's entry (its contents are gone or moved). */
  removeFolder(ownerId: string, path: string): TaggedItem {
    return {
      tag: `oldFolder:${path}`,
      item: {
        Delete: {
          TableName: this.table,
          Key: keys.path(ownerId, pathKey(path)),
          ConditionExpression: `#kind = :folder AND ${UNMARKED}`,
          ExpressionAttributeNames: { '#kind': 'kind' },
          ExpressionAttributeValues: { ':folder': 'folder' },
        },
      },
    };
  }

  /** Removes the folder a move or delete emptied, on condition it still carries that request's mark. */
  removeMarked(ownerId: string, folder: string, mark: 'movingTo' | 'deleting', value: string): TaggedItem {
    return {
      tag: `mark:${folder}`,
      item: {
        Delete: {
          TableName: this.table,
          Key: keys.path(ownerId, pathKey(folder)),
          ConditionExpression: '#mark = :value',
          ExpressionAttributeNames: { '#mark': mark },
          ExpressionAttributeValues: { ':value': value },
        },
      },
    };
  }

  /** The end of a move: the destination takes changes again; for a change of case only, it takes the new spelling. */
  unmarkDestination(ownerId: string, to: string, markName: 'movingFrom' | 'movingTo', from: string): TaggedItem {
    return {
      tag: `mark:${to}`,
      item: {
        Update: {
          TableName: this.table,
          Key: keys.path(ownerId, pathKey(to)),
          UpdateExpression: 'SET #path = :path, #name = :name REMOVE #mark',
          ConditionExpression: '#mark = :from',
          ExpressionAttributeNames: { '#path': 'path', '#name': 'name', '#mark': markName },
          ExpressionAttributeValues: { ':path': to, ':name': baseName(to), ':from': markName === 'movingFrom' ? from : to },
        },
      },
    };
  }
}
