/**
 * Delete (tombstone) and move/rename: each one journaled transaction (see changes.ts). Only the
 * owner may do either; a move keeps the file's shares (they name the file id, not its path).
 */
import { ancestorFolders, baseName, pathKey } from '@contract/paths';
import type { FileMetadata, MoveRequest } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { notFound, pathConflict, revisionConflict } from '@shared/errors';
import type { FileState } from '@repo/items';
import type { ShareRepository } from '@repo/shares';
import { authorizeFile, type Action } from './access';
import { applyChange, reviseItems, type ChangeDeps } from './changes';
import { toFileMetadata } from './metadata';
import { filePath } from './paths';

export interface MutationDeps extends ChangeDeps {
  readonly shares: ShareRepository;
}

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
 * Tombstones the file: status deleted at the next revision, its path freed for a new file. Its shares
 * and invitations end with it: access at once (the access rules void grants on a deleted file), the share items in
 * the same transaction as far as they fit, and whatever is left right after. The sweep is idempotent,
 * and a share cannot be added once the file is deleted (sharing is guarded on the file being live).
 */
export async function deleteFile(deps: MutationDeps, caller: Caller, fileId: string, expectedRevision?: number, now = new Date()): Promise<FileMetadata> {
  const deleted = await applyChange(deps, async () => {
    const file = await changeableFile(deps, caller, fileId, 'delete', expectedRevision);
    const [lastSeq, shares] = await Promise.all([deps.journal.lastSeq(file.ownerId), deps.shares.forFile(fileId)]);
    const next: FileState = { ...file, status: 'deleted', revision: file.revision + 1, updatedAt: now.toISOString() };
    const write = [...reviseItems(deps, { type: 'delete', previous: file, next, lastSeq }), deps.files.deleteFilePath(file.ownerId, file.path, fileId)];
    const ended = shares.slice(0, MAX_TRANSACTION_ITEMS - write.length).map((share) => deps.shares.removeItem(share));
    return { write: [...write, ...ended], result: toFileMetadata(next) };
  });
  // The index behind forFile is eventually consistent: ask again now that the file is deleted.
  await deps.shares.removeAll(await deps.shares.forFile(fileId));
  return deleted;
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
    const next: FileState = { ...file, path: to, name: baseName(to), revision: file.revision + 1, updatedAt: now.toISOString() };
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
