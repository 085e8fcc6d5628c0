/**
 * The three trees the sync planner compares, Nucleus style: the remote tree (what the service holds
 * under the remote root), the local tree (what the folder holds now), and the synced tree (the last
 * state both agreed on). Paths are relative to the sync root, '/'-separated, as spelled; `key` is
 * the case- and Unicode-folded identity of a path (two paths with one key are the same file).
 */
import type { FileIdentity } from '../localfs/identity';

/** A file's state as both trees of the service's side know it: which file, where, which revision of what content. */
export interface TreeFile {
  readonly fileId: string;
  readonly rel: string;
  readonly key: string;
  readonly revision: number;
  readonly hash: string;
  readonly size: number;
}

export interface RemoteFile extends TreeFile {
  /** Present for a file someone else owns and shares with the account. */
  readonly shared?: SharedBy;
}

/** Who shares a file, as what, and its own name (its place under "Shared with me" derives from them). */
export interface SharedBy {
  readonly ownerEmail: string;
  readonly role: 'viewer' | 'editor';
  readonly name: string;
}

/** A remote file row as stored: `live` false for tombstones (deleted, or moved out of the remote root). */
export interface RemoteRow extends RemoteFile {
  readonly live: boolean;
  /**
   * Written from the service's answer to this device's own change, and the feed has not delivered
   * that revision yet: whatever the feed says before it happened before the change (remote-tree.ts).
   */
  readonly ahead?: boolean;
}

export interface SyncedFile extends TreeFile {
  /** The local file's identity when synced; {@link UNKNOWN_IDENTITY} makes the next scan hash it. */
  readonly identity: FileIdentity;
}

export interface LocalFile {
  readonly rel: string;
  readonly key: string;
  readonly identity: FileIdentity;
  /** Content hash; undefined while the file is still being written (not settled). */
  readonly hash?: string;
}

export const UNKNOWN_IDENTITY: FileIdentity = { size: -1, mtimeNs: 0n, ctimeNs: 0n, inode: 0n, device: 0n };
