/**
 * The file-system steps of the sync, each guarded so no user bytes are lost: a file is replaced or
 * deleted only while it is still exactly what was synced (same identity, or else same content,
 * checked right before acting); moves and new files never overwrite (a hard link fails on an
 * existing name, where a rename would silently replace it).
 */
import { link, lstat, mkdir, rename, rmdir, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ToteError } from '../core/errors';
import { fsError, onDisk } from '../localfs/errors';
import { sameIdentity, type FileIdentity } from '../localfs/identity';
import type { LocalFileIndex } from '../state/local-file-index';
import { localManifest } from '../transfer/local-manifest';
import type { EventSink } from '../events';
import type { Expected } from './operations';

/** The identity of the file at `path` (not following links), or undefined when nothing regular is there. */
export async function identityAt(path: string): Promise<FileIdentity | undefined> {
  try {
    const s = await lstat(path, { bigint: true });
    if (!s.isFile()) return undefined;
    return { size: Number(s.size), mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, inode: s.ino, device: s.dev };
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw fsError(error, path);
  }
}

/** The content hash of the file at `path` (read again only when its identity changed since last hashed). */
export async function contentHash(index: LocalFileIndex, emit: EventSink, path: string): Promise<string> {
  return (await localManifest(index, emit, path)).contentHash;
}

/** True while the file at `path` is still what `expected` describes. */
export async function stillExpected(index: LocalFileIndex, emit: EventSink, path: string, expected: Expected): Promise<boolean> {
  const now = await identityAt(path);
  if (now === undefined) return false;
  if (sameIdentity(now, expected.identity)) return true;
  if (expected.hash === undefined) return false;
  try {
    return (await contentHash(index, emit, path)) === expected.hash;
  } catch (error) {
    // Changing while it is read: not what was expected.
    if ((error as ToteError).code === 'LOCAL_CHANGED') return false;
    throw error;
  }
}

/** Creates the folders above `path`. */
export const makeParents = (path: string): Promise<unknown> => onDisk(dirname(path), () => mkdir(dirname(path), { recursive: true }));

/**
 * Moves a file to a name that must be free: hard-link then unlink, so an existing file at `to`
 * (created meanwhile) makes this fail with LOCAL_EXISTS instead of being overwritten. Where the file
 * system has no hard links, the name is checked right before an ordinary rename.
 */
export async function moveNoClobber(from: string, to: string): Promise<void> {
  await makeParents(to);
  if (from.toLowerCase() === to.toLowerCase()) return renameCase(from, to);
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw fsError(error, to);
    if ((await identityAt(to)) !== undefined) throw new ToteError('LOCAL_EXISTS', 'already exists', { subject: to });
    await onDisk(to, () => rename(from, to));
    return;
  }
  await onDisk(from, () => unlink(from));
}

/**
 * A change of case only: on a case-insensitive disk both names are the same file (a hard link
 * would fail), so it is renamed, provided the new name is free or is that very file.
 */
async function renameCase(from: string, to: string): Promise<void> {
  const [source, target] = await Promise.all([identityAt(from), identityAt(to)]);
  if (target !== undefined && (source === undefined || target.inode !== source.inode || target.device !== source.device)) {
    throw new ToteError('LOCAL_EXISTS', 'already exists', { subject: to });
  }
  await onDisk(to, () => rename(from, to));
}

/** Puts `staged` in place of `path` atomically (the reader sees the old file or the new one). */
export const replaceWith = (staged: string, path: string): Promise<void> => onDisk(path, () => rename(staged, path));

export const removeFile = (path: string): Promise<void> => onDisk(path, () => unlink(path));

/** Removes the folders above `path` that became empty, up to (not including) `root`. */
export async function pruneEmptyParents(root: string, path: string): Promise<void> {
  for (let dir = dirname(path); dir.length > root.length && dir.startsWith(root); dir = dirname(dir)) {
    try {
      await rmdir(dir);
    } catch {
      // Not empty (or gone, or not ours to remove): the folders above are not empty either.
      return;
    }
  }
}
