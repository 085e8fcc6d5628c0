/**
 * Which local file is each synced file's, for the planner: the one at its key, else one at a key
 * nothing synced holds with its inode (same mtime or same content, so a reused inode is not taken for
 * a move: a local rename or move), else one with its content (a move through a copy, or an editor
 * that saves by writing a new file). A local file goes to one synced file at most, in the synced
 * files' order; what no synced file claims is new here.
 */
import type { LocalFile, SyncedFile } from './model';
import { indexBy } from './side-changes';

export interface LocalClaims {
  /** The local file of each synced file id. */
  readonly byFileId: Map<string, LocalFile>;
  /** The synced file id of each claimed local file, by the local file's key. */
  readonly byKey: Map<string, string>;
}

/** `localByKey`: one local file per key (the planner renames the others of a case clash first). */
export function claimLocal(synced: readonly SyncedFile[], localByKey: ReadonlyMap<string, LocalFile>, syncedByKey: ReadonlyMap<string, SyncedFile>): LocalClaims {
  const claims: LocalClaims = { byFileId: new Map(), byKey: new Map() };
  const claim = (s: SyncedFile, local: LocalFile) => {
    claims.byFileId.set(s.fileId, local);
    claims.byKey.set(local.key, s.fileId);
  };
  for (const s of synced) {
    const local = localByKey.get(s.key);
    if (local) claim(s, local);
  }
  // Candidates: local files at keys nothing synced holds, indexed by inode and by content.
  const candidates = [...localByKey.values()].filter((l) => !claims.byKey.has(l.key) && !syncedByKey.has(l.key));
  const byInode = indexBy(candidates, (l) => `${l.identity.device}:${l.identity.inode}`);
  const byContent = indexBy(candidates, (l) => l.hash);
  const free = (l: LocalFile) => !claims.byKey.has(l.key);
  const matches: ((s: SyncedFile) => LocalFile | undefined)[] = [
    (s) =>
      s.identity.inode === 0n
        ? undefined
        : byInode.get(`${s.identity.device}:${s.identity.inode}`)?.find((l) => free(l) && (l.identity.mtimeNs === s.identity.mtimeNs || l.hash === s.hash)),
    (s) => byContent.get(s.hash)?.find(free),
  ];
  for (const match of matches) {
    for (const s of synced) {
      if (claims.byFileId.has(s.fileId)) continue;
      const local = match(s);
      if (local) claim(s, local);
    }
  }
  return claims;
}
