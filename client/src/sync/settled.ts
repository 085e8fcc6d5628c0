/**
 * Files all three trees agree on: synced, here unchanged (the same identity at the same spelling)
 * and remotely unchanged (the same revision at the same spelling), nothing else at their key on any
 * side, inside the synced set and seen. The planner has nothing to decide for them, and in a pass
 * with nothing to do they are nearly every file, so they are set aside before it starts: the plan
 * is the one the planner makes over all files (their keys stay taken for new names), at the cost of
 * a few map lookups per file instead of the planner's matching.
 *
 * Why leaving them out changes no plan: the planner looks a key up in the local tree only for keys
 * of remote files (where a download or move may go), in the remote tree only for keys of local files
 * (where an upload or move may go), and matches moved files only among local files at keys nothing
 * synced holds; a settled file's key holds no other file on any side, and its local file sits at its
 * synced key, so none of those lookups can meet it.
 */
import { sameIdentity } from '../localfs/identity';
import type { LocalFile, RemoteFile, SyncedFile } from './model';
import { inSharedFolder } from './shared-files';

export interface Settled {
  /** The keys of the files set aside (each held by one synced, one local and one remote file). */
  readonly keys: ReadonlySet<string>;
  readonly synced: readonly SyncedFile[];
  readonly local: readonly LocalFile[];
  readonly remote: readonly RemoteFile[];
}

const NOWHERE = (): boolean => false;

/** The three trees without their settled files; `outside`: paths the planner leaves out or freezes (ignored, unseen). */
export function setAsideSettled(
  synced: readonly SyncedFile[],
  local: readonly LocalFile[],
  remote: readonly RemoteFile[],
  outside: (rel: string) => boolean = NOWHERE,
): Settled {
  const localByKey = uniqueByKey(local);
  const remoteByKey = uniqueByKey(remote);
  const syncedByKey = uniqueByKey(synced);
  const keys = new Set<string>();
  const rest: SyncedFile[] = [];
  for (const s of synced) {
    const l = localByKey.get(s.key);
    const r = remoteByKey.get(s.key);
    const alone = l && r && r.fileId === s.fileId && syncedByKey.get(s.key) === s && r.shared === undefined && !inSharedFolder(s.key);
    if (alone && l.rel === s.rel && r.rel === s.rel && r.revision === s.revision && sameIdentity(l.identity, s.identity) && !outside(s.rel)) keys.add(s.key);
    else rest.push(s);
  }
  if (keys.size === 0) return { keys, synced, local, remote };
  return {
    keys,
    synced: rest,
    local: local.filter((l) => !keys.has(l.key)),
    remote: remote.filter((r) => !keys.has(r.key)),
  };
}

/**
 * Each key's file, null where several hold it. Built with one write per file: keys held twice are
 * rare (a case clash), so they are looked for only when the map came out smaller than the list.
 */
function uniqueByKey<T extends { readonly key: string }>(files: readonly T[]): Map<string, T | null> {
  const byKey = new Map<string, T | null>();
  for (const f of files) byKey.set(f.key, f);
  if (byKey.size === files.length) return byKey;
  const seen = new Set<string>();
  for (const f of files) {
    if (seen.has(f.key)) byKey.set(f.key, null);
    seen.add(f.key);
  }
  return byKey;
}
