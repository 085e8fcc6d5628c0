/**
 * What identifies a local file's content without reading it: if none of these changed, the bytes
 * did not either (the same test rsync and every sync client rely on). ctime is included because a
 * tool can restore mtime after an edit but nothing can restore ctime.
 */
import type { BigIntStats } from 'node:fs';
import { stat, type FileHandle } from 'node:fs/promises';
import { hasCode } from '../core/errors';
import { onDisk } from './errors';

export interface FileIdentity {
  readonly size: number;
  readonly mtimeNs: bigint;
  readonly ctimeNs: bigint;
  readonly inode: bigint;
  readonly device: bigint;
}

export interface LocalEntry extends FileIdentity {
  readonly isFile: boolean;
  readonly isDirectory: boolean;
  readonly isSymbolicLink: boolean;
}

function entryOf(s: BigIntStats): LocalEntry {
  return {
    size: Number(s.size),
    mtimeNs: s.mtimeNs,
    ctimeNs: s.ctimeNs,
    inode: s.ino,
    device: s.dev,
    isFile: s.isFile(),
    isDirectory: s.isDirectory(),
    isSymbolicLink: s.isSymbolicLink(),
  };
}

/** Follows symlinks, like opening the path would. */
export const statEntry = async (path: string): Promise<LocalEntry> => entryOf(await onDisk(path, () => stat(path, { bigint: true })));

/** What is at a local path, or undefined when nothing is. */
export async function entryAt(path: string): Promise<LocalEntry | undefined> {
  try {
    return await statEntry(path);
  } catch (error) {
    if (hasCode(error, 'LOCAL_NOT_FOUND')) return undefined;
    throw error;
  }
}

/** The identity of the file an open handle refers to (immune to the path being replaced meanwhile). */
export const handleIdentity = async (handle: FileHandle, path: string): Promise<FileIdentity> =>
  entryOf(await onDisk(path, () => handle.stat({ bigint: true })));

export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs && a.inode === b.inode && a.device === b.device;
}
