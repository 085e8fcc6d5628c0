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
  /** Who made this revision (absent on revisions written before changes recorded it). */
  readonly changedBy?: string;
  /** The device it came from, as its client named itself (DEVICE_HEADER). */
  readonly device?: string;
  /** Set on a deleted file whose delete put several files in the trash together (a folder delete). */
  readonly trashGroup?: string;
}

/** Immutable revision item; `manifest` is present on revisions that brought new content. */
export interface RevisionState extends FileState {
  readonly manifest?: ManifestRef;
  /** A restore of this earlier revision made this one. */
  readonly restoredFrom?: number;
}

/** Someone a file was shared with when it was deleted (an invitation has no account, hence no user id). */
export interface FormerShare {
  readonly userId?: string;
  readonly email: string;
  readonly role: ShareRole;
}

/**
 * A deleted file waiting in the trash. Written in the delete's transaction, removed by the restore's
 * or the purge's; its key is derived from the deleted file item (trash.ts), so either finds it.
 */
export interface TrashItem {
  readonly ownerId: string;
  readonly fileId: string;
  readonly groupId: string;
  readonly path: string;
  readonly name: string;
  readonly size: number;
  readonly contentHash: string;
  /** The revision the delete made: a purge removes the file only while it is still at this one. */
  readonly revision: number;
  readonly deletedAt: string;
  readonly deletedBy: string;
  readonly device?: string;
  /**
   * Set on files that were deleted before deletes went to the trash: their retention runs from when
   * they were found (the collector's migration), not from the delete.
   */
  readonly retainedSince?: string;
  readonly formerShares: readonly FormerShare[];
}

/**
 * A folder's path entry. While a folder move or delete is under way (domain/folder-changes.ts) the
 * folders it involves carry a mark, which refuses every change inside them (FOLDER_BUSY) until the
 * request that set it (or the same request sent again) finishes.
 */
export interface FolderEntry {
  readonly kind: 'folder';
  readonly path: string;
  readonly name: string;
  /** On the source of a folder move: where its contents are going. */
  readonly movingTo?: string;
  /** On the destination of a folder move: where its contents come from. */
  readonly movingFrom?: string;
  /** On a folder being deleted: the trash group its files go to. */
  readonly deleting?: string;
}

export type PathEntry =
  | FolderEntry
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
  /**
   * When an upload, commit or restore last started relying on it (at registration at first). The
   * collector deletes only chunks untouched for its grace period (lambdas/domain/gc/README.md).
   */
  readonly touchedAt?: string;
  /** Where a blob's stored bytes are when it lives in a pack (lambdas/README.md, "Packs"); absent for a chunk object. */
  readonly pack?: BlobLocation;
}

export interface BlobLocation {
  /** The pack's hash: its key is S3_LAYOUT.packKey(owner, hash). */
  readonly hash: string;
  /** Where the blob's stored bytes start in the pack. */
  readonly offset: number;
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
  /**
   * For an uploader who is not the owner: the revision of the file whose chunks the upload may use
   * without sending them (the file's content when the session started). Absent on sessions from
   * before it was recorded: then the file's current content counts.
   */
  readonly baseContentRevision?: number;
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

/** A SharedFiles grant: `recipientId` may use `fileId` (owned by `ownerId`) as `role` allows. */
export interface ShareRecord {
  readonly recipientId: string;
  readonly fileId: string;
  readonly ownerId: string;
  readonly role: ShareRole;
  /**
   * The address the owner shared with (grants written before invitations existed hold the pool's
   * spelling), and the owner's as the pool knew it: for listings without a lookup per row.
   */
  readonly recipientEmail: string;
  readonly ownerEmail: string;
  readonly sharedBy: string;
  readonly sharedAt: string;
  readonly updatedAt: string;
}

/**
 * A SharedFiles invitation: the file shared with an address that had no account then. It gives no
 * access; when an account with that address is confirmed it becomes a grant with the same fields.
 */
export interface InvitationRecord {
  /** As the owner typed it; keyed lower-cased (the pool compares addresses without case). */
  readonly email: string;
  readonly fileId: string;
  readonly ownerId: string;
  readonly role: ShareRole;
  readonly ownerEmail: string;
  readonly sharedBy: string;
  readonly sharedAt: string;
  readonly updatedAt: string;
}

/** Someone a file is shared with, as the owner manages them: a grant, or an invitation still open. */
export type FileShare = ({ readonly kind: 'grant' } & ShareRecord) | ({ readonly kind: 'invitation' } & InvitationRecord);

export type JournalEntryType = 'put' | 'delete' | 'move';

/** A change of one file. */
export interface FileJournalEntry {
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

/** A change of a whole folder (domain/folder-changes.ts): no file id, every file under it changed alike. */
export interface FolderJournalEntry {
  readonly seq: number;
  readonly type: 'moveFolder' | 'deleteFolder';
  readonly path: string;
  readonly fromPath?: string;
  readonly at: string;
}

export type JournalEntry = FileJournalEntry | FolderJournalEntry;

export const isFolderEntry = (entry: JournalEntry): entry is FolderJournalEntry => entry.type === 'moveFolder' || entry.type === 'deleteFolder';

/** A journal entry as stored: with its expiry (epoch seconds; absent on entries written before entries expired). */
export type StoredJournalEntry = JournalEntry & { readonly ttl?: number };
