/**
 * What the planner asks for: typed operations `{ type, side }`, symmetric between the two sides.
 * `side` is where the operation acts: `remote` (the service), `local` (the folder), or `synced`
 * (bookkeeping only). Each operation carries everything the executor must check before acting, so a
 * plan made from a scan that is already stale cannot harm a file that changed since.
 */
import type { FileIdentity } from '../localfs/identity';
import type { TreeFile, RemoteFile } from './model';

/** The synced row an operation leads to (the local identity is read when it is done). */
export type SyncedRecord = TreeFile;

/** What a local file must still be for an operation to touch it: this identity, or else this content. */
export interface Expected {
  readonly identity: FileIdentity;
  readonly hash?: string;
}

export type Operation =
  /** Upload a local file as a new remote file; `replaces` is a synced file it supersedes (edit beats delete). */
  | { readonly type: 'add'; readonly side: 'remote'; readonly rel: string; readonly local: Expected; readonly replaces?: string }
  /** Upload the local content as the next revision of the file. */
  | { readonly type: 'edit'; readonly side: 'remote'; readonly fileId: string; readonly rel: string; readonly local: Expected; readonly expectedRevision: number }
  | { readonly type: 'delete'; readonly side: 'remote'; readonly fileId: string; readonly rel: string; readonly expectedRevision: number }
  | {
      readonly type: 'move';
      readonly side: 'remote';
      readonly fileId: string;
      readonly from: string;
      readonly to: string;
      readonly expectedRevision: number;
      /** The synced content that travels with it (the revision comes from the service's answer). */
      readonly record: SyncedRecord;
      readonly local: Expected;
    }
  /** Download a remote file to `rel`, which must be free. */
  | { readonly type: 'add'; readonly side: 'local'; readonly rel: string; readonly file: RemoteFile; readonly record: SyncedRecord }
  /** Download a remote file over the local file at `rel`, which must still be what was synced. */
  | { readonly type: 'edit'; readonly side: 'local'; readonly rel: string; readonly file: RemoteFile; readonly record: SyncedRecord; readonly local: Expected }
  | { readonly type: 'delete'; readonly side: 'local'; readonly rel: string; readonly fileId: string; readonly local: Expected }
  | {
      readonly type: 'move';
      readonly side: 'local';
      readonly from: string;
      readonly to: string;
      readonly local: Expected;
      /** `remote`: following a move made elsewhere; `conflict`: making way for the remote version; `case-clash`: a name another file holds in another case. */
      readonly reason: 'remote' | 'conflict' | 'case-clash';
      readonly record?: SyncedRecord;
      /** A synced file to forget first: the bytes moved become a file of their own. */
      readonly forget?: string;
    }
  /** Both sides agree: write it down. */
  | { readonly type: 'record'; readonly side: 'synced'; readonly record: SyncedRecord; readonly identity: FileIdentity }
  /** Gone on both sides. */
  | { readonly type: 'forget'; readonly side: 'synced'; readonly fileId: string }
  /**
   * A whole folder moved on the other side: `remote` sends a local folder rename as one request,
   * `local` applies a remote one as one rename of the directory. It moves exactly `files` (what the
   * planner expects under `from`); when that no longer holds it is refused, and the next pass moves
   * the files one by one.
   */
  | ({ readonly type: 'moveFolder'; readonly side: 'remote' } & FolderMove)
  | ({ readonly type: 'moveFolder'; readonly side: 'local' } & FolderMove);

export interface FolderMove {
  readonly from: string;
  readonly to: string;
  readonly files: readonly FolderMember[];
}

/** A synced file a folder move carries: where it is and will be, what it must still be here, and its synced row afterwards. */
export interface FolderMember {
  readonly fileId: string;
  readonly from: string;
  readonly to: string;
  /** The revision the remote file has before the move (a remote folder move raises it by one). */
  readonly revision: number;
  readonly local: Expected;
  readonly record: SyncedRecord;
}

/** Where an operation puts or takes a file, for events and logs. */
export function describe(op: Operation): string {
  switch (op.type) {
    case 'move':
      return `${op.from} -> ${op.to}`;
    case 'moveFolder':
      return `${op.from}/ -> ${op.to}/`;
    case 'record':
      return op.record.rel;
    case 'forget':
      return op.fileId;
    default:
      return op.rel;
  }
}
