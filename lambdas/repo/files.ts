/**
 * File, revision and path-entry items: reads, the folder listing, and the transaction items a
 * commit, delete or move is made of. Conditions live here, next to the layout they protect.
 */
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { baseName, parentPath, pathKey } from '@contract/paths';
import { batchDeleteAll, batchGetAll } from './batch';
import { GSI1, keys } from './keys';
import { queryAll, queryPage } from './query';
import type { FileState, PathEntry, RevisionState } from './items';
import type { TaggedItem } from './transact';

/** A DynamoDB key of a listing position (table keys plus index keys), as Query hands it out. */
export type ListingKey = Record<string, string>;

export interface FolderPage {
  readonly entries: PathEntry[];
  /** Position of the last entry returned, when more may follow. */
  readonly lastKey?: ListingKey;
}

const KEY_ATTRIBUTES = ['pk', 'sk', 'gsi1pk', 'gsi1sk'] as const;

/** A folder entry without the marks of a folder move or delete under way (items.ts FolderEntry). */
export const UNMARKED = 'attribute_not_exists(movingTo) AND attribute_not_exists(movingFrom) AND attribute_not_exists(deleting)';

/** Every revision attribute but the manifest. */
const REVISION_SUMMARY =
  'fileId, ownerId, #path, #name, #size, mimeType, contentHash, #revision, #status, chunkCount, createdAt, updatedAt, contentRevision, changedBy, device, restoredFrom';
const REVISION_SUMMARY_NAMES = { '#path': 'path', '#name': 'name', '#size': 'size', '#revision': 'revision', '#status': 'status' };

export function withoutKeys<T>(item: Record<string, unknown>): T {
  const rest = { ...item };
  for (const k of KEY_ATTRIBUTES) delete rest[k];
  return rest as T;
}

/** Index keys that place a path entry in its parent folder's listing, ordered by case-folded name. */
export function listingKeys(ownerId: string, path: string) {
  return keys.dirIndex(ownerId, pathKey(parentPath(path)), baseName(path).toLowerCase());
}

/** True when `key` is a listing position inside `folder` of `ownerId` (a cursor must not wander elsewhere). */
export function isListingKeyOf(ownerId: string, folder: string, key: unknown): key is ListingKey {
  if (typeof key !== 'object' || key === null || Array.isArray(key)) return false;
  const k = key as Record<string, unknown>;
  const names = Object.keys(k);
  if (names.length !== KEY_ATTRIBUTES.length || !KEY_ATTRIBUTES.every((n) => typeof k[n] === 'string')) return false;
  const expected = keys.path(ownerId, '');
  return k.pk === expected.pk && (k.sk as string).startsWith(expected.sk) && k.gsi1pk === keys.dirIndex(ownerId, pathKey(folder), '').gsi1pk;
}

/** How getRevisions() names a revision in its answer. */
export const revisionKey = (fileId: string, revision: number) => `${fileId}#${revision}`;

export class FileRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  async getFile(fileId: string): Promise<FileState | undefined> {
    return this.get<FileState>(keys.file(fileId));
  }

  async getRevision(fileId: string, revision: number): Promise<RevisionState | undefined> {
    return this.get<RevisionState>(keys.revision(fileId, revision));
  }

  /** The revision items that exist among `wanted`, keyed by revisionKey(fileId, revision). */
  async getRevisions(wanted: readonly { readonly fileId: string; readonly revision: number }[]): Promise<Map<string, RevisionState>> {
    const unique = [...new Map(wanted.map((w) => [revisionKey(w.fileId, w.revision), w])).values()];
    const items = await batchGetAll(this.db, this.table, unique.map((w) => keys.revision(w.fileId, w.revision)));
    return new Map(items.map((i) => withoutKeys<RevisionState>(i)).map((r) => [revisionKey(r.fileId, r.revision), r]));
  }

  async getPathEntry(ownerId: string, path: string): Promise<PathEntry | undefined> {
    return this.get<PathEntry>(keys.path(ownerId, pathKey(path)));
  }

  /** The entries that exist at `paths` of a namespace, keyed by pathKey. */
  async getPathEntries(ownerId: string, paths: readonly string[]): Promise<Map<string, PathEntry>> {
    const unique = [...new Set(paths.map(pathKey))];
    const items = await batchGetAll(this.db, this.table, unique.map((key) => keys.path(ownerId, key)));
    return new Map(items.map((i) => withoutKeys<PathEntry>(i)).map((e) => [pathKey(e.path), e]));
  }

  /** Entries of one folder in name order. */
  async listFolder(ownerId: string, folder: string, limit: number, startKey?: ListingKey): Promise<FolderPage> {
    const gsi = keys.dirIndex(ownerId, pathKey(folder), '');
    const page = await queryPage(
      this.db,
      { TableName: this.table, IndexName: GSI1, KeyConditionExpression: 'gsi1pk = :p', ExpressionAttributeValues: { ':p': gsi.gsi1pk } },
      limit,
      startKey,
    );
    const last = page.last;
    return {
      entries: page.items.map((i) => withoutKeys<PathEntry>(i)),
      ...(last ? { lastKey: Object.fromEntries(KEY_ATTRIBUTES.map((k) => [k, String(last[k])])) } : {}),
    };
  }

  /** The current state of each file that exists among `fileIds`, by id. */
  async getFiles(fileIds: readonly string[]): Promise<Map<string, FileState>> {
    const items = await batchGetAll(this.db, this.table, [...new Set(fileIds)].map((id) => keys.file(id)));
    return new Map(items.map((i) => withoutKeys<FileState>(i)).map((f) => [f.fileId, f]));
  }

  /**
   * Guards a transaction on the file being live and the caller's: a share written after the file was
   * deleted (or given away) would outlive it.
   */
  checkLive(fileId: string, ownerId: string): TaggedItem {
    return {
      tag: 'file',
      item: {
        ConditionCheck: {
          TableName: this.table,
          Key: keys.file(fileId),
          ConditionExpression: 'ownerId = :owner AND #status = :uploaded',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':owner': ownerId, ':uploaded': 'uploaded' },
        },
      },
    };
  }

  /** The file item; `expectedRevision` null means a new file id that must not exist yet. */
  putFile(file: FileState, expectedRevision: number | null): TaggedItem {
    return {
      tag: 'file',
      item: {
        Put: {
          TableName: this.table,
          Item: { ...keys.file(file.fileId), ...file },
          ...(expectedRevision === null
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#revision = :expected',
                ExpressionAttributeNames: { '#revision': 'revision' },
                ExpressionAttributeValues: { ':expected': expectedRevision },
              }),
        },
      },
    };
  }

  /** Revisions are written once and never changed. */
  putRevision(revision: RevisionState): TaggedItem {
    return {
      tag: 'revision',
      item: {
        Put: {
          TableName: this.table,
          Item: { ...keys.revision(revision.fileId, revision.revision), ...revision },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    };
  }

  /**
   * Every revision item of a file, oldest first (strongly consistent). Without `manifests` the
   * manifests are left out, which keeps a listing of a long history small.
   */
  async listRevisions(fileId: string, opts: { manifests: boolean }): Promise<RevisionState[]> {
    const prefix = keys.revision(fileId, 0);
    const items = await queryAll(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :rev)',
      ExpressionAttributeValues: { ':pk': prefix.pk, ':rev': 'REV#' },
      ...(opts.manifests ? {} : { ProjectionExpression: REVISION_SUMMARY, ExpressionAttributeNames: REVISION_SUMMARY_NAMES }),
      ConsistentRead: true,
    });
    return items.map((i) => withoutKeys<RevisionState>(i));
  }

  /** Deletes revision items (a purge past retention); absent ones are no-ops. */
  async removeRevisions(fileId: string, revisions: readonly number[]): Promise<void> {
    await batchDeleteAll(this.db, this.table, revisions.map((r) => keys.revision(fileId, r)));
  }

  /** Guards a transaction on a revision item still existing (not purged past retention meanwhile). */
  checkRevision(fileId: string, revision: number): TaggedItem {
    return {
      tag: 'keptRevision',
      item: { ConditionCheck: { TableName: this.table, Key: keys.revision(fileId, revision), ConditionExpression: 'attribute_exists(pk)' } },
    };
  }

  /** Every path entry of a namespace (files and folders), a page at a time, strongly consistent. */
  async *pathEntries(ownerId: string): AsyncGenerator<PathEntry[]> {
    const { pk, sk } = keys.path(ownerId, '');
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.db.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :path)',
          ExpressionAttributeValues: { ':pk': pk, ':path': sk },
          ConsistentRead: true,
          ExclusiveStartKey: start,
        }),
      );
      yield (out.Items ?? []).map((i) => withoutKeys<PathEntry>(i));
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
  }

  /** Guards a transaction on a file still being deleted at `revision` (not restored meanwhile). */
  checkDeleted(fileId: string, revision: number): TaggedItem {
    return { tag: 'file', item: { ConditionCheck: this.stillDeleted(fileId, revision) } };
  }

  /** Deletes a file item for good, only while it is deleted at `revision` (a purge that a restore did not beat). */
  removeDeletedFile(fileId: string, revision: number): TaggedItem {
    return { tag: 'file', item: { Delete: this.stillDeleted(fileId, revision) } };
  }

  /** The file item, on condition it is still deleted at `revision`. */
  private stillDeleted(fileId: string, revision: number) {
    return {
      TableName: this.table,
      Key: keys.file(fileId),
      ConditionExpression: '#status = :deleted AND #revision = :revision',
      ExpressionAttributeNames: { '#status': 'status', '#revision': 'revision' },
      ExpressionAttributeValues: { ':deleted': 'deleted', ':revision': revision },
    };
  }

  /** Points the file's path at it; the path must be free or already this file's. */
  putFilePath(file: FileState): TaggedItem {
    const entry: PathEntry = {
      kind: 'file',
      path: file.path,
      name: file.name,
      fileId: file.fileId,
      size: file.size,
      revision: file.revision,
      contentHash: file.contentHash,
      updatedAt: file.updatedAt,
    };
    return {
      tag: 'path',
      item: {
        Put: {
          TableName: this.table,
          Item: { ...keys.path(file.ownerId, pathKey(file.path)), ...listingKeys(file.ownerId, file.path), ...entry },
          ConditionExpression: 'attribute_not_exists(pk) OR fileId = :fileId',
          ExpressionAttributeValues: { ':fileId': file.fileId },
        },
      },
    };
  }

  /** Frees a path the file leaves (delete, move); only if it still points at that file. */
  deleteFilePath(ownerId: string, path: string, fileId: string): TaggedItem {
    return {
      tag: 'oldPath',
      item: {
        Delete: {
          TableName: this.table,
          Key: keys.path(ownerId, pathKey(path)),
          ConditionExpression: 'fileId = :fileId',
          ExpressionAttributeValues: { ':fileId': fileId },
        },
      },
    };
  }

  /**
   * Makes each folder exist. An existing folder keeps the spelling it was created with; a file in
   * the way, or a folder being moved or deleted, fails the condition, tagged `folder:<ownerId>#<path>`
   * so the caller can name it (changes.ts folderBlocked).
   */
  upsertFolders(ownerId: string, folders: readonly string[]): TaggedItem[] {
    return folders.map((folder) => ({
      tag: `folder:${ownerId}#${folder}`,
      item: {
        Update: {
          TableName: this.table,
          Key: keys.path(ownerId, pathKey(folder)),
          UpdateExpression:
            'SET #kind = :folder, #path = if_not_exists(#path, :path), #name = if_not_exists(#name, :name), gsi1pk = :gsi1pk, gsi1sk = :gsi1sk',
          // A folder being moved or deleted takes no changes inside it (repo/folders.ts sets and clears the marks).
          ConditionExpression: `attribute_not_exists(pk) OR (#kind = :folder AND ${UNMARKED})`,
          ExpressionAttributeNames: { '#kind': 'kind', '#path': 'path', '#name': 'name' },
          ExpressionAttributeValues: {
            ':folder': 'folder',
            ':path': folder,
            ':name': baseName(folder),
            ':gsi1pk': listingKeys(ownerId, folder).gsi1pk,
            ':gsi1sk': listingKeys(ownerId, folder).gsi1sk,
          },
        },
      },
    }));
  }

  private async get<T>(key: { pk: string; sk: string }): Promise<T | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: key, ConsistentRead: true }));
    return Item ? withoutKeys<T>(Item) : undefined;
  }
}
