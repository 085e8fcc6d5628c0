/**
 * What a pass could not see locally, in the questions the planner asks before it lets a missing
 * file become a remote delete:
 *  - unseen: is the path there but out of sight for now (an unreadable folder or file, a name the
 *    service refuses, or a synced file renamed to such a name, recognized by its inode)? Then
 *    nothing is decided about it.
 *  - replaced: is a link or special file where a file or folder was? That path leaves the synced
 *    set as an ignored one does: the remote files stay, and come back here once the path is free.
 *  - gone long enough: has the folder that held it been left alone for FOLDER_SETTLE_MS, or the
 *    fixed --settle time (a folder's time changes when an entry is removed or renamed, so a delete
 *    still under way shows there)? Not the adaptive write settle's 250 ms minimum (write-settle.ts):
 *    a file read too early is only read again, a delete decided too early deletes.
 * Paths are compared loosely (Unicode-normalized, case-folded, without the service's name checks):
 * a looser match only freezes more, which is the safe side.
 */
import { parentRel } from './paths';
import type { LocalScan } from './local-scan';
import type { SyncedFile } from './model';

export interface BlindSpots {
  readonly unseen: (rel: string) => boolean;
  readonly replaced: (rel: string) => boolean;
  readonly goneSettled: (rel: string) => boolean;
}

/** How long a folder must have been left alone before a file missing from it counts as deleted. */
export const FOLDER_SETTLE_MS = 1_000;

const loose = (rel: string): string => rel.normalize('NFC').toLowerCase();

/** `rel` and the folders above it, innermost first, the root ('') last. */
function* selfAndAncestors(rel: string): Generator<string> {
  for (let at = rel; at !== ''; at = parentRel(at)) yield at;
  yield '';
}

export function blindSpots(scan: Pick<LocalScan, 'unseen' | 'folders'>, synced: readonly SyncedFile[], unreadableFiles: readonly string[], now: number, settleMs: number): BlindSpots {
  const hidden = new Set([...scan.unseen.filter((u) => u.kind !== 'not-a-file').map((u) => u.rel), ...unreadableFiles].map(loose));
  const hiddenInodes = new Set(scan.unseen.flatMap((u) => (u.identity ? [`${u.identity.device}:${u.identity.inode}`] : [])));
  for (const s of synced) if (s.identity.inode !== 0n && hiddenInodes.has(`${s.identity.device}:${s.identity.inode}`)) hidden.add(loose(s.rel));
  const links = new Set(scan.unseen.filter((u) => u.kind === 'not-a-file').map((u) => loose(u.rel)));
  const within = (paths: ReadonlySet<string>) => (rel: string) => {
    if (paths.size === 0) return false;
    for (const at of selfAndAncestors(loose(rel))) if (at !== '' && paths.has(at)) return true;
    return false;
  };
  const changedAt = new Map([...scan.folders].map(([rel, at]) => [loose(rel), at]));
  return {
    unseen: within(hidden),
    replaced: within(links),
    goneSettled: (rel) => {
      for (const at of selfAndAncestors(parentRel(loose(rel)))) {
        const changed = changedAt.get(at);
        if (changed !== undefined) return now - changed >= settleMs;
      }
      return true;
    },
  };
}
