/**
 * Reading the namespace: one file's metadata (by id or by path) and folder listings. Listings page
 * with an opaque cursor that is checked on the way back in, so a forged or foreign cursor is a 400.
 */
import { LIMITS } from '@contract/limits';
import { normalizePath } from '@contract/paths';
import type { FileMetadata, ListFolderQuery, ListFolderResponse } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { invalidCursor, notFound, validationFailed } from '@shared/errors';
import { isListingKeyOf, type FileRepository, type ListingKey } from '@repo/files';
import { authorize } from './access';
import { toFileMetadata, toFolderEntry } from './metadata';

export interface FileReadDeps {
  readonly files: FileRepository;
}

/**
 * Metadata by id. A deleted file is still answered (status `deleted`) to those allowed to read it, so a
 * device holding the id learns it is gone and at which revision; strangers get 404 as for any id.
 */
export async function getFileMetadata(deps: FileReadDeps, caller: Caller, fileId: string): Promise<FileMetadata> {
  return toFileMetadata(authorize(caller, await deps.files.getFile(fileId), 'read'));
}

/** Metadata of the file at a path in the caller's namespace (deleted files have no path). */
export async function lookupPath(deps: FileReadDeps, caller: Caller, rawPath: string): Promise<FileMetadata> {
  const path = normalizePath(rawPath);
  const entry = path === '/' ? undefined : await deps.files.getPathEntry(caller.userId, path);
  if (entry === undefined) throw notFound(`nothing at ${path}`);
  if (entry.kind === 'folder') throw notFound(`${entry.path} is a folder, not a file`);
  return getFileMetadata(deps, caller, entry.fileId);
}

function encodeCursor(key: ListingKey): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function decodeCursor(cursor: string, ownerId: string, folder: string): ListingKey {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (!isListingKeyOf(ownerId, folder, key)) throw invalidCursor();
  return key;
}

function pageSize(limit: string | undefined): number {
  if (limit === undefined) return LIMITS.listPageDefault;
  const n = Number(limit);
  if (n < 1 || n > LIMITS.listPageMax) throw validationFailed(`query.limit must be between 1 and ${LIMITS.listPageMax}`, { field: 'query.limit' });
  return n;
}

/** One page of a folder of the caller's namespace: folders and files together, ordered by case-folded name. */
export async function listFolder(deps: FileReadDeps, caller: Caller, query: ListFolderQuery): Promise<ListFolderResponse> {
  const folder = normalizePath(query.path ?? '/');
  const limit = pageSize(query.limit);
  let shownPath = '/';
  if (folder !== '/') {
    const entry = await deps.files.getPathEntry(caller.userId, folder);
    if (entry === undefined) throw notFound(`no folder at ${folder}`);
    if (entry.kind === 'file') throw notFound(`${entry.path} is a file, not a folder`);
    shownPath = entry.path;
  }
  const startKey = query.cursor === undefined ? undefined : decodeCursor(query.cursor, caller.userId, folder);
  const page = await deps.files.listFolder(caller.userId, folder, limit, startKey);
  return {
    path: shownPath,
    entries: page.entries.map(toFolderEntry),
    ...(page.lastKey ? { cursor: encodeCursor(page.lastKey) } : {}),
  };
}
