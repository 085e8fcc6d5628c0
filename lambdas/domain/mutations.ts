/**
 * Delete (tombstone) and move/rename: each one journaled transaction (see changes.ts). Only the
 * owner may do either; a move keeps the file's shares (they name the file id, not its path).
 */
import { ancestorFolders, baseName, pathKey } from '@contract/paths';
import type { DeleteFileResponse, FileMetadata, MoveRequest } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { notFound, pathConflict, revisionConflict } from '@shared/errors';
import type { FileShare, FileState, FormerShare, TrashItem } from '@repo/items';
import type { ShareRepository } from '@repo/shares';
import { trashGroupOf, type TrashRepository } from '@repo/trash';
import { authorizeFile, type Action } from './access';
import { applyChange, authorship, reviseItems, type ChangeDeps } from './changes';
import { toFileMetadata } from './metadata';
import { filePath } from './paths';
import { restorableUntil, type Retention } from './retention';

export interface MutationDeps extends ChangeDeps {
  readonly shares: ShareRepository;
}

export interface DeleteDeps extends MutationDeps {
  readonly trash: TrashRepository;
  readonly retention: Retention;
}

/** Former shares a trash entry keeps, so a restore can say who the file was shared with. */
const FORMER_SHARES_KEPT = 50;

/** DynamoDB's limit on the items of one transaction. */
const MAX_TRANSACTION_ITEMS = 100;

/** The live file the caller may change, at the revision the caller expects (when it names one). */
async function changeableFile(deps: MutationDeps, caller: Caller, fileId: string, action: Action, expectedRevision?: number): Promise<FileState> {
  const file = await authorizeFile(deps, caller, fileId, action);
  if (file.status === 'deleted') throw notFound();
  if (expectedRevision !== undefined && expectedRevision !== file.revision) throw revisionConflict(expectedRevision, file.revision, fileId);
  return file;
}

/**
 * Moves the file to the trash: status deleted at the next revision, its path freed for a new file, a
 * trash entry in the same transaction (so every deleted file is in the trash until restored or purged;
 * its revisions, hence its bytes, stay). Its shares and invitations end with it: access at once (the
 * access rules void grants on a deleted file), the share items in the same transaction as far as they
 * fit, and whatever is left right after. The sweep is idempotent, and a share cannot be added once the file is deleted
 * (sharing is guarded on the file being live). A restore does not share the file again: deleting is
 * how an owner makes sure nobody can read a file any more, and that must not undo itself later.
 */
export async function deleteFile(deps: DeleteDeps, caller: Caller, fileId: string, expectedRevision?: number, now = new Date()): Promise<DeleteFileResponse> {
  const deleted = await applyChange(deps, async () => {
    const file = await changeableFile(deps, caller, fileId, 'delete', expectedRevision);
    const [lastSeq, shares] = await Promise.all([deps.journal.lastSeq(file.ownerId), deps.shares.forFile(fileId)]);
    // A single delete is a group of its own (trashGroup unset); a folder delete would name its group here.
    const next: FileState = { ...file, status: 'deleted', revision: file.revision + 1, trashGroup: undefined, ...authorship(caller, now) };
    const write = [
      ...reviseItems(deps, { type: 'delete', previous: file, next, lastSeq }),
      deps.files.deleteFilePath(file.ownerId, file.path, fileId),
      deps.trash.put(trashEntry(next, shares)),
    ];
    const ended = shares.slice(0, MAX_TRANSACTION_ITEMS - write.length).map((share) => deps.shares.removeItem(share));
    return { write: [...write, ...ended], result: next };
  });
  // The index behind forFile is eventually consistent: ask again now that the file is deleted.
  await deps.shares.removeAll(await deps.shares.forFile(fileId));
  return { ...toFileMetadata(deleted), restorableUntil: restorableUntil(deleted.updatedAt, deps.retention).toISOString() };
}

/** Who a file was shared with, as its trash entry keeps it: an invitation names an address without an account yet. */
const formerShare = (share: FileShare): FormerShare =>
  share.kind === 'grant' ? { userId: share.recipientId, email: share.recipientEmail, role: share.role } : { email: share.email, role: share.role };

/** The trash entry of a file just deleted (`deleted` is its new state). */
export function trashEntry(deleted: FileState, shares: readonly FileShare[], retainedSince?: string): TrashItem {
  return {
    ownerId: deleted.ownerId,
    fileId: deleted.fileId,
    groupId: trashGroupOf(deleted),
    path: deleted.path,
    name: deleted.name,
    size: deleted.size,
    contentHash: deleted.contentHash,
    revision: deleted.revision,
    deletedAt: deleted.updatedAt,
    deletedBy: deleted.changedBy ?? deleted.ownerId,
    ...(deleted.device === undefined ? {} : { device: deleted.device }),
    ...(retainedSince === undefined ? {} : { retainedSince }),
    formerShares: shares.slice(0, FORMER_SHARES_KEPT).map(formerShare),
  };
}

/** Moves or renames the file (a change of case only is a rename too); the target must be free. */
export async function moveFile(deps: MutationDeps, caller: Caller, fileId: string, req: MoveRequest, now = new Date()): Promise<FileMetadata> {
  const to = filePath(req.toPath);
  return applyChange(deps, async () => {
    const file = await changeableFile(deps, caller, fileId, 'move', req.expectedRevision);
    if (to === file.path) return { result: toFileMetadata(file) };
    const sameKey = pathKey(to) === pathKey(file.path);
    const folders = ancestorFolders(to);
    if (folders.some((f) => pathKey(f) === pathKey(file.path))) throw pathConflict(`cannot move ${file.path} inside itself`, file.path);
    if (!sameKey) {
      const target = await deps.files.getPathEntry(file.ownerId, to);
      if (target !== undefined) throw pathConflict(`${target.path} already exists`, target.path);
    }
    const lastSeq = await deps.journal.lastSeq(file.ownerId);
    const next: FileState = { ...file, path: to, name: baseName(to), revision: file.revision + 1, ...authorship(caller, now) };
    return {
      write: [
        ...reviseItems(deps, { type: 'move', previous: file, next, fromPath: file.path, lastSeq }),
        ...(sameKey ? [] : [deps.files.deleteFilePath(file.ownerId, file.path, fileId)]),
        deps.files.putFilePath(next),
        ...deps.files.upsertFolders(file.ownerId, folders),
      ],
      result: toFileMetadata(next),
    };
  });
}
