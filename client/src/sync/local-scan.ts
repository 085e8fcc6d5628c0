/**
 * The local tree of a sync root as it is now: every regular file with its identity (size, times,
 * inode), without reading contents. Skipped, and said why: symbolic links (following them could
 * leave the root or loop), special files, and names the service cannot store. Skipped silently:
 * ignored names (see ignore-rules.ts) and the client's own download temp files. Names another
 * system could not hold are kept and reported.
 */
import { PathError } from '@contract/paths';
import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { fsError } from '../localfs/errors';
import type { FileIdentity } from '../localfs/identity';
import { isTempDownloadName } from '../transfer/temp-names';
import type { IgnoreRules } from './ignore-rules';
import { absolutePath, relKey } from './paths';
import { portabilityProblem } from './portability';

export interface ScannedFile {
  readonly rel: string;
  readonly key: string;
  readonly identity: FileIdentity;
  /** Birth time in epoch ms; 0 where the file system keeps none. Tells when a new file's write began (write-settle.ts). */
  readonly bornMs?: number;
}

export type ScanWarningCode = 'symlink' | 'special-file' | 'invalid-name' | 'not-portable';

export interface ScanWarning {
  readonly code: ScanWarningCode;
  readonly rel: string;
  readonly message: string;
}

export interface LocalScan {
  readonly files: ScannedFile[];
  readonly warnings: ScanWarning[];
}

const isGone = (error: unknown) => ['ENOENT', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '');

export async function scanLocal(root: string, rules: IgnoreRules): Promise<LocalScan> {
  const scan: LocalScan = { files: [], warnings: [] };
  await scanFolder(root, '', rules, scan);
  return scan;
}

async function scanFolder(root: string, folderRel: string, rules: IgnoreRules, scan: LocalScan): Promise<void> {
  const dir = absolutePath(root, folderRel);
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    // A folder removed while the scan ran simply has nothing in it.
    if (folderRel !== '' && isGone(error)) return;
    throw fsError(error, dir);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const rel = folderRel === '' ? entry.name : `${folderRel}/${entry.name}`;
    if (rules.ignores(rel, entry.isDirectory()) || isTempDownloadName(entry.name)) continue;
    let key: string;
    try {
      key = relKey(rel);
    } catch (error) {
      if (!(error instanceof PathError)) throw error;
      scan.warnings.push({ code: 'invalid-name', rel, message: `not synced: ${error.message}` });
      continue;
    }
    const problem = portabilityProblem(entry.name);
    if (problem) scan.warnings.push({ code: 'not-portable', rel, message: `this name ${problem}; rename it to sync it to such devices` });
    if (entry.isDirectory()) await scanFolder(root, rel, rules, scan);
    else if (entry.isFile()) await scanFile(root, rel, key, scan);
    else if (entry.isSymbolicLink()) scan.warnings.push({ code: 'symlink', rel, message: 'not synced: a symbolic link' });
    else scan.warnings.push({ code: 'special-file', rel, message: 'not synced: not a regular file' });
  }
}

async function scanFile(root: string, rel: string, key: string, scan: LocalScan): Promise<void> {
  const path = absolutePath(root, rel);
  try {
    const s = await lstat(path, { bigint: true });
    if (!s.isFile()) return;
    scan.files.push({
      rel,
      key,
      identity: { size: Number(s.size), mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, inode: s.ino, device: s.dev },
      bornMs: Number(s.birthtimeMs),
    });
  } catch (error) {
    if (isGone(error)) return;
    throw fsError(error, path);
  }
}
