/** Delete (tombstone) and move/rename: each one journaled transaction (see changes.ts). */
import { ancestorFolders, baseName, pathKey } from '@contract/paths';
import type { FileMetadata, MoveRequest } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { notFound, pathConflict, revisionConflict } from '@shared/errors';
import type { FileState } from '@repo/items';
import { authorize, type Action } from './access';
import { applyChange, reviseItems, type ChangeDeps } from './changes';
import { toFileMetadata } from './metadata';
import { filePath } from './paths';

/** The live file the caller may change, at the revision the caller expects (when it names one). */
async function changeableFile(deps: ChangeDeps, caller: Caller, fileId: string, action: Action, expectedRevision?: number): Promise<FileState> {
  const file = authorize(caller, await deps.files.getFile(fileId), action);
  if (file.status === 'deleted') throw notFound();
  if (expectedRevision !== undefined && expectedRevision !== file.revision) throw revisionConflict(expectedRevision, file.revision, fileId);
  return file;
}

/** Tombstones the file: status deleted at the next revision, its path freed for a new file. */
export async function deleteFile(deps: ChangeDeps, caller: Caller, fileId: string, expectedRevision?: number, now = new Date()): Promise<FileMetadata> {
  return applyChange(deps, async () => {
    const file = await changeableFile(deps, caller, fileId, 'delete', expectedRevision);
    const lastSeq = await deps.journal.lastSeq(file.ownerId);
    const next: FileState = { ...file, status: 'deleted', revision: file.revision + 1, updatedAt: now.toISOString() };
    return {
      write: [...reviseItems(deps, { type: 'delete', previous: file, next, lastSeq }), deps.files.deleteFilePath(file.ownerId, file.path, fileId)],
      result: toFileMetadata(next),
    };
  });
}

/** Moves or renames the file (a change of case only is a rename too); the target must be free. */
export async function moveFile(deps: ChangeDeps, caller: Caller, fileId: string, req: MoveRequest, now = new Date()): Promise<FileMetadata> {
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
