/**
 * A change of a whole remote folder (the feed's `moveFolder` / `deleteFolder`, see lambdas/README.md
 * "Folders") applied to the remote tree: every live row under the folder moves with it or becomes a
 * tombstone, and its revision goes up by one, as the service's did. No per-file data travels: the
 * rows before the entry are exactly what the service had (entries apply in journal order).
 */
import { pathKey } from '@contract/paths';
import type { FolderChangeEntry } from '@contract/schemas';
import type { RemoteRow } from './model';
import { relativeTo, relKey } from './paths';

/** The rows the change gives new states, or 'relist' when it moves files across the remote root's edge (rows must come or go whole). */
export function folderChangeRows(remoteRoot: string, rows: Iterable<RemoteRow>, entry: FolderChangeEntry): RemoteRow[] | 'relist' {
  const from = entry.type === 'moveFolder' ? (entry.fromPath as string) : entry.path;
  const fromRel = relativeTo(remoteRoot, from);
  if (fromRel === undefined || fromRel === '') {
    // The remote root itself, or a folder holding it, moved or went away: only a listing says what is left here.
    if (covers(from, remoteRoot)) return 'relist';
    if (entry.type === 'deleteFolder' || relativeTo(remoteRoot, entry.path) === undefined) return [];
    return 'relist';
  }
  const toRel = entry.type === 'moveFolder' ? relativeTo(remoteRoot, entry.path) : undefined;
  if (entry.type === 'moveFolder' && (toRel === undefined || toRel === '')) return 'relist';
  const prefix = `${relKey(fromRel)}/`;
  const depth = fromRel.split('/').length;
  const changed: RemoteRow[] = [];
  for (const row of rows) {
    if (!row.live || row.shared !== undefined || !row.key.startsWith(prefix)) continue;
    if (toRel === undefined) {
      changed.push({ ...row, rel: '', key: '', live: false, revision: row.revision + 1 });
      continue;
    }
    const rel = [toRel, ...row.rel.split('/').slice(depth)].join('/');
    changed.push({ ...row, rel, key: relKey(rel), revision: row.revision + 1 });
  }
  return changed;
}

/** True when `path` is `folder` or lies inside it. */
const covers = (folder: string, path: string): boolean => pathKey(path) === pathKey(folder) || pathKey(path).startsWith(`${pathKey(folder)}/`);
