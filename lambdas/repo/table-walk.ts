/**
 * The FileMetadata table as a migration walks it (the data migrations, and the collector's one-time
 * migration of data written before the trash): pages of every item in table order (a Scan, resumable
 * from the key it stopped at), raw or told apart by the layout in keys.ts, and conditional rewrites
 * that never touch an item changed or removed meanwhile.
 */
import { ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ManifestRef } from './items';
import type { Key } from './batch';
import { keys } from './keys';

/** Where a walk stopped: DynamoDB's LastEvaluatedKey, kept as it came. */
export type WalkCursor = Record<string, unknown>;

/** An item that carries a file's content hash, with what it takes to know which content that is. */
export type HashedItem =
  | { readonly kind: 'file'; readonly key: Key; readonly contentHash: string; readonly fileId: string; readonly contentRevision: number }
  | { readonly kind: 'revision'; readonly key: Key; readonly contentHash: string; readonly fileId: string; readonly contentRevision: number; readonly manifest?: ManifestRef }
  | { readonly kind: 'path' | 'journal' | 'trash'; readonly key: Key; readonly contentHash: string; readonly fileId: string; readonly revision: number }
  | { readonly kind: 'session'; readonly key: Key; readonly contentHash: string; readonly manifest: ManifestRef };

export interface WalkPage {
  /** Items of this page that carry a content hash; `scanned` counts every item read. */
  readonly items: HashedItem[];
  readonly scanned: number;
  /** Present while more items follow. */
  readonly cursor?: WalkCursor;
}

type Item = Record<string, unknown>;

export interface RawWalkPage {
  /** Every item of this page, as stored. */
  readonly items: Item[];
  /** Present while more items follow. */
  readonly cursor?: WalkCursor;
}

/** The content-hash-carrying kind of a raw item, from its keys (layout: keys.ts), or undefined. */
export function hashedItem(item: Item): HashedItem | undefined {
  const pk = String(item.pk);
  const sk = String(item.sk);
  const key = { pk, sk };
  if (typeof item.contentHash !== 'string') return undefined;
  const contentHash = item.contentHash;
  if (pk.startsWith('FILE#') && sk === 'META') {
    return { kind: 'file', key, contentHash, fileId: String(item.fileId), contentRevision: Number(item.contentRevision) };
  }
  if (pk.startsWith('FILE#') && sk.startsWith('REV#')) {
    const manifest = item.manifest as ManifestRef | undefined;
    return { kind: 'revision', key, contentHash, fileId: String(item.fileId), contentRevision: Number(item.contentRevision), ...(manifest ? { manifest } : {}) };
  }
  if (pk.startsWith('NS#') && sk.startsWith('PATH#') && item.kind === 'file') {
    return { kind: 'path', key, contentHash, fileId: String(item.fileId), revision: Number(item.revision) };
  }
  if (pk.startsWith('JRNL#')) return { kind: 'journal', key, contentHash, fileId: String(item.fileId), revision: Number(item.revision) };
  // A trash entry shows the deleted file's content hash; it names the file's deleted revision.
  if (pk.startsWith('TRASH#')) return { kind: 'trash', key, contentHash, fileId: String(item.fileId), revision: Number(item.revision) };
  if (pk.startsWith('UPLOAD#') && sk === 'META' && item.manifest !== undefined) {
    return { kind: 'session', key, contentHash, manifest: item.manifest as ManifestRef };
  }
  return undefined;
}

export class TableWalk {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /** Up to `limit` items after `cursor` (strongly consistent, so a finished write is never missed). */
  async rawPage(limit: number, cursor?: WalkCursor): Promise<RawWalkPage> {
    const out = await this.db.send(new ScanCommand({ TableName: this.table, Limit: limit, ExclusiveStartKey: cursor, ConsistentRead: true }));
    return { items: out.Items ?? [], ...(out.LastEvaluatedKey ? { cursor: out.LastEvaluatedKey } : {}) };
  }

  /** The items of rawPage that carry a content hash. */
  async page(limit: number, cursor?: WalkCursor): Promise<WalkPage> {
    const raw = await this.rawPage(limit, cursor);
    return {
      items: raw.items.map(hashedItem).filter((i): i is HashedItem => i !== undefined),
      scanned: raw.items.length,
      ...(raw.cursor ? { cursor: raw.cursor } : {}),
    };
  }

  /** Puts an upload session written before the gc index existed into it (no-op once it is there, or gone). */
  async indexSession(uploadId: string, ownerId: string): Promise<void> {
    const index = keys.sessionIndex(ownerId, uploadId);
    await this.update(keys.upload(uploadId), 'SET gcpk = :gcpk, gcsk = :gcsk', 'attribute_exists(pk) AND attribute_not_exists(gcpk)', { ':gcpk': index.gcpk, ':gcsk': index.gcsk });
  }

  /** Sets `contentHash` to `to` while the item exists and still holds `from`; false when it no longer does. */
  setContentHash(key: Key, from: string, to: string): Promise<boolean> {
    return this.update(key, 'SET contentHash = :to', 'attribute_exists(pk) AND contentHash = :from', { ':from': from, ':to': to });
  }

  /** One conditional update; false when the condition failed. */
  private async update(key: Key, expression: string, condition: string, values: Record<string, unknown>): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand({ TableName: this.table, Key: key, UpdateExpression: expression, ConditionExpression: condition, ExpressionAttributeValues: values }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
