/**
 * Reading the namespace: one file's metadata (by id or by path) and folder listings. Listings page
 * with an opaque cursor that is checked on the way back in, so a forged or foreign cursor is a 400.
 */
import { normalizePath } from '@contract/paths';
import type { FileMetadata, ListFolderQuery, ListFolderResponse } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { notFound } from '@shared/errors';
import { isListingKeyOf, type FileRepository } from '@repo/files';
import type { ShareRepository } from '@repo/shares';
import { authorizeFile } from './access';
import { toFileMetadata, toFolderEntry } from './metadata';
import { decodeCursor, encodeCursor, pageSize } from './paging';

export interface FileReadDeps {
  readonly files: FileRepository;
  readonly shares: ShareRepository;
}

/**
 * Metadata by id, to the owner and those it is shared with. A deleted file is still answered (status
 * `deleted`) to its owner, so a device holding the id learns it is gone and at which revision; its
 * shares ended with it, and strangers get 404 as for any id.
 */
export async function getFileMetadata(deps: FileReadDeps, caller: Caller, fileId: string): Promise<FileMetadata> {
  return toFileMetadata(await authorizeFile(deps, caller, fileId, 'read'));
}

/** Metadata of the file at a path in the caller's namespace (deleted files have no path). */
export async function lookupPath(deps: FileReadDeps, caller: Caller, rawPath: string): Promise<FileMetadata> {
  const path = normalizePath(rawPath);
  const entry = path === '/' ? undefined : await deps.files.getPathEntry(caller.userId, path);
  if (entry === undefined) throw notFound(`nothing at ${path}`);
  if (entry.kind === 'folder') throw notFound(`${entry.path} is a folder, not a file`);
  return getFileMetadata(deps, caller, entry.fileId);
}

/** One page of a folder of the caller's namespace: folders and files together, ordered by case-folded name. */
export async function listFolder(deps: Pick<FileReadDeps, 'files'>, caller: Caller, query: ListFolderQuery): Promise<ListFolderResponse> {
  const folder = normalizePath(query.path ?? '/');
  const limit = pageSize(query.limit);
  let shownPath = '/';
  if (folder !== '/') {
    const entry = await deps.files.getPathEntry(caller.userId, folder);
    if (entry === undefined) throw notFound(`no folder at ${folder}`);
    if (entry.kind === 'file') throw notFound(`${entry.path} is a file, not a folder`);
    shownPath = entry.path;
  }
  const startKey = query.cursor === undefined ? undefined : decodeCursor(query.cursor, (key) => isListingKeyOf(caller.userId, folder, key));
  const page = await deps.files.listFolder(caller.userId, folder, limit, startKey);
  return {
    path: shownPath,
    entries: page.entries.map(toFolderEntry),
    ...(page.lastKey ? { cursor: encodeCursor(page.lastKey) } : {}),
  };
}
