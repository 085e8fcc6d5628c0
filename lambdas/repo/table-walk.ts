/**
 * The FileMetadata table as a data migration walks it: pages of every item in table order (a Scan,
 * resumable from the key it stopped at), each item told apart by the layout in keys.ts, and
 * conditional rewrites of one attribute that never touch an item changed or removed meanwhile.
 */
import { ScanCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ManifestRef } from './items';
import type { Key } from './batch';

/** Where a walk stopped: DynamoDB's LastEvaluatedKey, kept as it came. */
export type WalkCursor = Record<string, unknown>;

/** An item that carries a file's content hash, with what it takes to know which content that is. */
export type HashedItem =
  | { readonly kind: 'file'; readonly key: Key; readonly contentHash: string; readonly fileId: string; readonly contentRevision: number }
  | { readonly kind: 'revision'; readonly key: Key; readonly contentHash: string; readonly fileId: string; readonly contentRevision: number; readonly manifest?: ManifestRef }
  | { readonly kind: 'path' | 'journal'; readonly key: Key; readonly contentHash: string; readonly fileId: string; readonly revision: number }
  | { readonly kind: 'session'; readonly key: Key; readonly contentHash: string; readonly manifest: ManifestRef };

export interface WalkPage {
  /** Items of this page that carry a content hash; `scanned` counts every item read. */
  readonly items: HashedItem[];
  readonly scanned: number;
  /** Present while more items follow. */
  readonly cursor?: WalkCursor;
}

type Item = Record<string, unknown>;

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

  /** Up to about `limit` items after `cursor` (strongly consistent, so a finished write is never missed). */
  async page(limit: number, cursor?: WalkCursor): Promise<WalkPage> {
    const out = await this.db.send(new ScanCommand({ TableName: this.table, Limit: limit, ExclusiveStartKey: cursor, ConsistentRead: true }));
    const raw = out.Items ?? [];
    return {
      items: raw.map(hashedItem).filter((i): i is HashedItem => i !== undefined),
      scanned: raw.length,
      ...(out.LastEvaluatedKey ? { cursor: out.LastEvaluatedKey } : {}),
    };
  }

  /** Sets `contentHash` to `to` while the item exists and still holds `from`; false when it no longer does. */
  async setContentHash(key: Key, from: string, to: string): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key,
          UpdateExpression: 'SET contentHash = :to',
          ConditionExpression: 'attribute_exists(pk) AND contentHash = :from',
          ExpressionAttributeValues: { ':from': from, ':to': to },
        }),
      );
      return true;
    } catch (error) {
      if ((error as Error).name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }
}
