/**
 * Shapes of the FileMetadata items (see keys.ts for where each lives). Domain code works with these;
 * only the repository modules know the key attributes and the SDK calls behind them.
 */
import type { ChunkRef, Compression } from '@contract/schemas';

export type FileStatus = 'uploaded' | 'deleted';

/** A chunk manifest: kept in the item while small, in S3 once it would strain the 400 KB item limit. */
export type ManifestRef =
  | { readonly kind: 'inline'; readonly hash: string; readonly chunks: ChunkRef[] }
  | { readonly kind: 's3'; readonly hash: string; readonly key: string; readonly chunkCount: number };

/** What a file is at one revision. The current one is the file item; every revision keeps a copy. */
export interface FileState {
  readonly fileId: string;
  readonly ownerId: string;
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly mimeType: string;
  readonly contentHash: string;
  readonly revision: number;
  readonly status: FileStatus;
  readonly chunkCount: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The revision whose item holds the manifest: a move or delete makes a revision without new content. */
  readonly contentRevision: number;
}

/** Immutable revision item; `manifest` is present on revisions that brought new content. */
export interface RevisionState extends FileState {
  readonly manifest?: ManifestRef;
}

export type PathEntry =
  | { readonly kind: 'folder'; readonly path: string; readonly name: string }
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly name: string;
      readonly fileId: string;
      readonly size: number;
      readonly revision: number;
      readonly contentHash: string;
      readonly updatedAt: string;
    };

/** A chunk the tracker has verified; `size` is plaintext, `storedSize` what S3 holds. */
export interface ChunkRecord {
  readonly hash: string;
  readonly size: number;
  readonly storedSize: number;
  readonly compression: Compression;
  readonly registeredAt: string;
}

export interface UploadSession {
  readonly uploadId: string;
  readonly ownerId: string;
  readonly path: string;
  readonly size: number;
  readonly contentHash: string;
  readonly mimeType: string;
  readonly chunkCount: number;
  readonly manifest: ManifestRef;
  readonly createdAt: string;
  /** Epoch seconds after which DynamoDB forgets an uncommitted session. */
  readonly ttl: number;
  /**
   * Who started the upload when it is not the namespace owner (an editor of a shared file); absent
   * means the owner. Only this user may continue or commit the session.
   */
  readonly uploaderId?: string;
  /**
   * The file this upload makes the next revision of, when it was started by file id
   * (POST /files/{fileId}/uploads); `path` is then only where the file was at the start.
   */
  readonly fileId?: string;
  /** Set in the commit transaction, so a retried commit answers with the same file revision. */
  readonly committed?: { readonly fileId: string; readonly revision: number };
}

/**
 * The session of an open upload (contract: StartUploadBody with `sessionKey`), started before the
 * client knew the whole file: where it goes and how large it is, no manifest. It hands out URLs; its
 * commit brings the manifest and is carried out as the closed session of that content (open-uploads.ts).
 */
export interface OpenUploadSession extends Omit<UploadSession, 'contentHash' | 'chunkCount' | 'manifest' | 'committed'> {
  readonly open: true;
}

export type AnyUploadSession = UploadSession | OpenUploadSession;

export const isOpenSession = (session: AnyUploadSession): session is OpenUploadSession => 'open' in session && session.open === true;

export type ShareRole = 'viewer' | 'editor';

/** A SharedFiles item: `recipientId` may use `fileId` (owned by `ownerId`) as `role` allows. */
export interface ShareRecord {
  readonly recipientId: string;
  readonly fileId: string;
  readonly ownerId: string;
  readonly role: ShareRole;
  /** Emails as the user pool knew them when the share was last written, for listings without a lookup per row. */
  readonly recipientEmail: string;
  readonly ownerEmail: string;
  readonly sharedBy: string;
  readonly sharedAt: string;
  readonly updatedAt: string;
}

export type JournalEntryType = 'put' | 'delete' | 'move';

export interface JournalEntry {
  readonly seq: number;
  readonly type: JournalEntryType;
  readonly fileId: string;
  readonly path: string;
  readonly fromPath?: string;
  readonly revision: number;
  readonly size: number;
  readonly contentHash: string;
  readonly at: string;
}

/** A journal entry as stored: with its expiry (epoch seconds; absent on entries written before entries expired). */
export interface StoredJournalEntry extends JournalEntry {
  readonly ttl?: number;
}
