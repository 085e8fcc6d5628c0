/**
 * The local tree of a sync root as it is now: every regular file with its identity (size, times,
 * inode), without reading contents. Skipped, and said why: symbolic links (following them could
 * leave the root or loop), special files, names the service cannot store, and folders or files that
 * cannot be read. Skipped silently: ignored names (see ignore-rules.ts) and the client's own download
 * temp files. Names another system could not hold are kept and reported.
 *
 * What was skipped for a reason is reported as `unseen` (with the identity of the regular files
 * among them), so the planner never takes a file it could not see for a deleted one; and every
 * folder's last change is reported, to tell a delete that is still under way from a finished one.
 */
import { PathError } from '@contract/paths';
import { lstatSync, type BigIntStats, type Dirent } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { fsError } from '../localfs/errors';
import type { FileIdentity } from '../localfs/identity';
import { isTempDownloadName } from '../transfer/temp-names';
import type { IgnoreRules } from './ignore-rules';
import { absolutePath, nameOf, relKey } from './paths';
import { portabilityProblem } from './portability';

export interface ScannedFile {
  readonly rel: string;
  readonly key: string;
  readonly identity: FileIdentity;
  /** Birth time in epoch ms; 0 where the file system keeps none. Tells when a new file's write began (write-settle.ts). */
  readonly bornMs?: number;
}

export type ScanWarningCode = 'symlink' | 'special-file' | 'invalid-name' | 'not-portable' | 'unreadable';

export interface ScanWarning {
  readonly code: ScanWarningCode;
  readonly rel: string;
  readonly message: string;
}

/**
 * A path that is there but was not scanned (with all below it): `unreadable`, a name the service
 * `refused`, or something that is not a regular file or folder (`not-a-file`: a link, a device, a pipe).
 */
export interface UnseenEntry {
  readonly rel: string;
  readonly kind: 'unreadable' | 'refused' | 'not-a-file';
  /** For a regular file (one with a refused name, say): where a synced file renamed to it can be recognized. */
  readonly identity?: FileIdentity;
}

export interface LocalScan {
  readonly files: ScannedFile[];
  readonly warnings: ScanWarning[];
  readonly unseen: UnseenEntry[];
  /** Each scanned folder ('' is the root) and when it last changed (epoch ms): an entry added, removed or renamed. */
  readonly folders: Map<string, number>;
}

const isGone = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

const identityOf = (s: BigIntStats): FileIdentity => ({ size: Number(s.size), mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, inode: s.ino, device: s.dev });

/** A path's key as already worked out (by the last scan): a path's key depends on nothing else. */
export type KnownKeys = (rel: string) => string | undefined;

/** `known`: keys already worked out. */
export async function scanLocal(root: string, rules: IgnoreRules, known?: KnownKeys): Promise<LocalScan> {
  const scan: LocalScan = { files: [], warnings: [], unseen: [], folders: new Map() };
  await scanFolder(root, '', rules, scan, false, known);
  return scan;
}

/** `refused`: inside a folder whose name the service refuses, where files are only noted as unseen. */
async function scanFolder(root: string, folderRel: string, rules: IgnoreRules, scan: LocalScan, refused: boolean, known?: KnownKeys): Promise<void> {
  const dir = absolutePath(root, folderRel);
  let folder: BigIntStats;
  let entries: Dirent[];
  try {
    // The root may be a link to the real folder; below it, links are not followed.
    folder = folderRel === '' ? await stat(dir, { bigint: true }) : await lstat(dir, { bigint: true });
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    // The root unreadable fails the pass; below it, a folder removed while the scan ran has nothing in it.
    if (folderRel === '') throw fsError(error, dir);
    if (isGone(error)) return;
    scan.unseen.push({ rel: folderRel, kind: 'unreadable' });
    scan.warnings.push({ code: 'unreadable', rel: folderRel, message: `not synced while it cannot be read (${fsError(error, dir).message}); nothing in it is deleted elsewhere` });
    return;
  }
  // Replaced by something else since its parent was read: looked at again next pass.
  if (!folder.isDirectory()) return void scan.unseen.push({ rel: folderRel, kind: 'unreadable' });
  scan.folders.set(folderRel, Number((folder.mtimeNs > folder.ctimeNs ? folder.mtimeNs : folder.ctimeNs) / 1_000_000n));
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    // Only a folder is awaited: a promise per file would cost the no-op pass more than its lstat.
    const below = scanEntry(root, folderRel === '' ? entry.name : `${folderRel}/${entry.name}`, entry, `${dir}${sep}${entry.name}`, rules, scan, refused, known);
    if (below) await below;
  }
}

/** What an entry is: a directory entry as read, or the lstat of a path. */
type EntryKind = Pick<Dirent, 'isDirectory' | 'isFile' | 'isSymbolicLink'>;

/** One entry of a folder (`refused`: inside a folder whose name the service refuses), as the full scan sees it. */
function scanEntry(root: string, rel: string, entry: EntryKind, path: string, rules: IgnoreRules, scan: LocalScan, refused: boolean, known?: KnownKeys): Promise<void> | undefined {
  const name = nameOf(rel);
  if (rules.ignores(rel, entry.isDirectory()) || isTempDownloadName(name)) return undefined;
  let key: string | undefined;
  if (!refused) {
    try {
      key = known?.(rel) ?? relKey(rel);
    } catch (error) {
      if (!(error instanceof PathError)) throw error;
      scan.warnings.push({ code: 'invalid-name', rel, message: `not synced: ${error.message}` });
    }
    const problem = portabilityProblem(name);
    if (problem) scan.warnings.push({ code: 'not-portable', rel, message: `this name ${problem}; rename it to sync it to such devices` });
  }
  if (entry.isDirectory()) return scanFolder(root, rel, rules, scan, key === undefined, known);
  if (entry.isFile()) scanFile(path, rel, key, scan);
  else {
    scan.unseen.push({ rel, kind: 'not-a-file' });
    if (entry.isSymbolicLink()) scan.warnings.push({ code: 'symlink', rel, message: 'not synced: a symbolic link' });
    else scan.warnings.push({ code: 'special-file', rel, message: 'not synced: not a regular file' });
  }
  return undefined;
}

/**
 * One path below the root whose folders above it were looked at (changed-scan.ts): scanned as the
 * full scan would scan it, a folder with everything in it; nothing when it is gone.
 */
export async function scanPath(root: string, rel: string, rules: IgnoreRules, scan: LocalScan, known?: KnownKeys): Promise<void> {
  const path = absolutePath(root, rel);
  let entry: BigIntStats;
  try {
    entry = await lstat(path, { bigint: true });
  } catch (error) {
    if (isGone(error)) return;
    scan.unseen.push({ rel, kind: 'unreadable' });
    scan.warnings.push({ code: 'unreadable', rel, message: `not synced while it cannot be read (${fsError(error, path).message}); nothing in it is deleted elsewhere` });
    return;
  }
  await scanEntry(root, rel, entry, path, rules, scan, false, known);
}

/**
 * A regular file: scanned with its key, or, without one (a refused name), noted as unseen with its
 * identity. Read synchronously: a promised lstat costs about eight times the CPU of a direct one
 * (measured: 4 s against 0.5 s for 100,000 files), which made it most of a pass with nothing to do;
 * the event loop still gets its turn at each folder's readdir.
 */
function scanFile(path: string, rel: string, key: string | undefined, scan: LocalScan): void {
  try {
    const s = lstatSync(path, { bigint: true });
    if (!s.isFile()) return;
    if (key === undefined) scan.unseen.push({ rel, kind: 'refused', identity: identityOf(s) });
    else scan.files.push({ rel, key, identity: identityOf(s), bornMs: Number(s.birthtimeMs) });
  } catch (error) {
    if (isGone(error)) return;
    scan.unseen.push({ rel, kind: 'unreadable' });
    scan.warnings.push({ code: 'unreadable', rel, message: `not synced while it cannot be read (${fsError(error, path).message})` });
  }
}
