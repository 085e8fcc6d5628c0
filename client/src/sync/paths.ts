/**
 * Paths of a sync root: relative, '/'-separated, as spelled on disk or by the service. Identity is
 * the contract's pathKey (NFC, case-folded), so two names differing only in case or Unicode
 * normalization are one file and can never overwrite each other silently.
 */
import { copyNameOf, normalizePath, pathKey } from '@contract/paths';
import { join } from 'node:path';

/** The identity of a relative path. Throws the contract's PathError for names the service refuses. */
export const relKey = (rel: string): string => pathKey(`/${rel}`);

/** Two spellings of one name are the same spelling once NFC-normalized (NFD and NFC are not a rename). */
export const sameSpelling = (a: string, b: string): boolean => a === b || a.normalize('NFC') === b.normalize('NFC');

/** Where a relative path lives on disk. */
export const absolutePath = (root: string, rel: string): string => join(root, ...rel.split('/'));

/** The relative path of a remote path under `remoteRoot`, or undefined when it lies elsewhere. */
export function relativeTo(remoteRoot: string, remotePath: string): string | undefined {
  if (remoteRoot === '/') return remotePath.slice(1);
  if (!pathKey(remotePath).startsWith(`${pathKey(remoteRoot)}/`)) return undefined;
  return remotePath.slice(remoteRoot.length + 1);
}

/** The remote path of a relative path under `remoteRoot` (normalized: NFC, as the service stores it). */
export const remotePathOf = (remoteRoot: string, rel: string): string => normalizePath(remoteRoot === '/' ? `/${rel}` : `${remoteRoot}/${rel}`);

export const parentRel = (rel: string): string => (rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '');

export const nameOf = (rel: string): string => rel.slice(rel.lastIndexOf('/') + 1);

/**
 * A free sibling name for a copy: `name (<label>).ext`, then `name (<label> 2).ext`, ... until
 * `taken` says a key is free.
 */
export function copyName(rel: string, label: string, taken: (key: string) => boolean): string {
  const dir = parentRel(rel);
  for (let n = 1; ; n++) {
    const name = copyNameOf(nameOf(rel), label, n);
    const candidate = dir === '' ? name : `${dir}/${name}`;
    if (!taken(relKey(candidate))) return candidate;
  }
}

/** `name (conflicted copy <device> <yyyy-mm-dd>).ext`, free in `taken`. */
export const conflictedCopyName = (rel: string, device: string, date: Date, taken: (key: string) => boolean): string =>
  copyName(rel, `conflicted copy ${device} ${date.toISOString().slice(0, 10)}`, taken);

/** `name (case conflict).ext`, for a second local file whose name differs from another's only in case. */
export const caseConflictName = (rel: string, taken: (key: string) => boolean): string => copyName(rel, 'case conflict', taken);
