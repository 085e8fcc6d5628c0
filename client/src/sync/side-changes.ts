/**
 * How a synced file changed on each side since both agreed, and the small facts about files the
 * planners share (what a local file holds, what an operation expects of it, the synced record a
 * remote state leads to). Pure functions of the three trees' rows.
 */
import { sameIdentity } from '../localfs/identity';
import { UNCHANGED, type LocalSide, type SideChange } from './conflicts';
import type { LocalFile, RemoteFile, SyncedFile } from './model';
import type { Expected, SyncedRecord } from './operations';
import { sameSpelling } from './paths';

const DELETED: SideChange = { deleted: true, moved: false, edited: false };

/**
 * A remote state as the synced record. Agreement is recorded with the remote's spelling of the
 * name: where the local name differs in case, the next pass sees a local rename and sends it.
 */
export const recordOf = (f: RemoteFile | SyncedFile): SyncedRecord => ({ fileId: f.fileId, rel: f.rel, key: f.key, revision: f.revision, hash: f.hash, size: f.size });

export function indexBy<T>(items: readonly T[], keyOf: (item: T) => string | undefined): Map<string, T[]> {
  const index = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === undefined) continue;
    const list = index.get(key);
    if (list) list.push(item);
    else index.set(key, [item]);
  }
  return index;
}

/** What a local file's content is: the synced hash while its identity is unchanged, else its own. */
export function contentOf(s: SyncedFile, l: LocalFile): string | undefined {
  return sameIdentity(l.identity, s.identity) ? s.hash : l.hash;
}

export function expected(l: LocalFile, hash: string | undefined = l.hash): Expected {
  return { identity: l.identity, ...(hash === undefined ? {} : { hash }) };
}

export function localChange(s: SyncedFile, l: LocalFile | undefined): LocalSide {
  if (l === undefined) return DELETED;
  const moved = !sameSpelling(l.rel, s.rel);
  const content = contentOf(s, l);
  if (content === undefined) return 'being-written';
  return { deleted: false, moved, edited: content !== s.hash };
}

export function remoteChange(s: SyncedFile, r: RemoteFile | undefined): SideChange {
  if (r === undefined) return DELETED;
  if (r.revision === s.revision) return UNCHANGED;
  return { deleted: false, moved: !sameSpelling(r.rel, s.rel), edited: r.hash !== s.hash };
}
