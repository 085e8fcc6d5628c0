/**
 * Whole-folder moves in a plan: when every synced file of a folder moved on one side to the same
 * place under another folder (same names below it), the move is one operation instead of one per
 * file. A local folder rename goes up as one POST /folders/move (`moveFolder` remote); a remote one
 * (the feed's `moveFolder`) comes down as one rename of the directory (`moveFolder` local).
 *
 * A folder qualifies only when the move is exactly what the planner sees, so the one operation does
 * what the per-file moves would have done and nothing more:
 * - sending (`remote`): each synced file under `from` is found here under `to` at the same place
 *   below it (by key, inode or content), its remote file unchanged since synced; the remote tree
 *   holds nothing else under `from` (nothing ignored, unseen or shared that the service would carry
 *   along) and nothing at or under `to`;
 * - applying (`local`): each synced file under `from` moved remotely to `to`, its local file still
 *   where and what was synced; the folder here holds nothing else (nothing new, nothing ignored)
 *   and nothing is at or under `to`.
 * Outer folders win over the folders inside them; the folders of two moves never overlap; a change
 * of case only, the shared folder and a move refused before (`refused`) are left to per-file moves.
 */
import type { LocalFile, RemoteFile, SyncedFile } from './model';
import type { FolderMember, Operation } from './operations';
import { relKey, sameSpelling } from './paths';
import { inSharedFolder } from './shared-files';
import { contentOf, expected, recordOf } from './side-changes';

export type FolderMoveSide = 'remote' | 'local';

/** Names a folder move (for the memory of refused ones). */
export const folderMoveKey = (side: FolderMoveSide, from: string, to: string): string => `${side}\0${relKey(from)}\0${to}`;

export interface FolderMovesInput {
  /** Synced files seen this pass and inside the synced set. */
  readonly synced: readonly SyncedFile[];
  /** The three trees whole (ignored and unseen paths included): a folder holding more than the moved files is not moved whole. */
  readonly allSynced: readonly SyncedFile[];
  readonly allLocal: readonly LocalFile[];
  readonly allRemote: readonly RemoteFile[];
  /** The local file of each synced file id. */
  readonly claimed: ReadonlyMap<string, LocalFile>;
  readonly remoteById: ReadonlyMap<string, RemoteFile>;
  /** A folder move refused earlier (by the service, or by the folder here): its files move one by one. */
  readonly refused?: (side: FolderMoveSide, from: string, to: string) => boolean;
}

export interface FolderMoves {
  readonly operations: Operation[];
  /** Synced files a folder move carries: the planner plans nothing else for them. */
  readonly covered: Set<string>;
}

interface Candidate {
  readonly side: FolderMoveSide;
  readonly from: string;
  readonly to: string;
  readonly members: FolderMember[];
}

export function folderMoves(input: FolderMovesInput): FolderMoves {
  const candidates = new Map<string, Candidate>();
  for (const s of input.synced) {
    const member = memberOf(s, input.claimed.get(s.fileId), input.remoteById.get(s.fileId));
    if (member === undefined) continue;
    for (const [from, to] of folderPairs(member.from, member.to)) {
      const id = folderMoveKey(member.side, from, to);
      const known = candidates.get(id);
      if (known) known.members.push(member.member);
      else candidates.set(id, { side: member.side, from, to, members: [member.member] });
    }
  }
  if (candidates.size === 0) return { operations: [], covered: new Set() };
  const count = {
    synced: countUnder(input.allSynced),
    local: countUnder(input.allLocal),
    remote: countUnder(input.allRemote),
  };
  const operations: Operation[] = [];
  const covered = new Set<string>();
  const taken = new Subtrees();
  const outermostFirst = [...candidates.values()].sort((a, b) => depth(a.from) - depth(b.from) || (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  for (const c of outermostFirst) {
    const [fromKey, toKey] = [relKey(c.from), relKey(c.to)];
    if (fromKey === toKey || fromKey.startsWith(`${toKey}/`) || toKey.startsWith(`${fromKey}/`)) continue;
    if (inSharedFolder(fromKey) || inSharedFolder(toKey) || input.refused?.(c.side, c.from, c.to)) continue;
    if (taken.overlaps(fromKey) || taken.overlaps(toKey)) continue;
    const n = c.members.length;
    if ((count.synced.get(fromKey) ?? 0) !== n) continue;
    if (c.side === 'remote' ? (count.remote.get(fromKey) ?? 0) !== n || count.remote.has(toKey) : (count.local.get(fromKey) ?? 0) !== n || count.local.has(toKey)) continue;
    taken.add(fromKey);
    taken.add(toKey);
    for (const m of c.members) covered.add(m.fileId);
    operations.push({ type: 'moveFolder', side: c.side, from: c.from, to: c.to, files: c.members } as Operation);
  }
  return { operations, covered };
}

/** How a synced file takes part in a folder move, if it moved on exactly one side and is otherwise as synced there. */
function memberOf(s: SyncedFile, l: LocalFile | undefined, r: RemoteFile | undefined): { side: FolderMoveSide; from: string; to: string; member: FolderMember } | undefined {
  if (l === undefined || r === undefined) return undefined;
  const content = contentOf(s, l);
  if (content === undefined) return undefined;
  const localMoved = !sameSpelling(l.rel, s.rel);
  const remoteMoved = r.revision !== s.revision && !sameSpelling(r.rel, s.rel);
  if (localMoved && r.revision === s.revision) {
    // Sent up: the synced content travels (an edit made here too goes up on the next pass).
    const member = { fileId: s.fileId, from: s.rel, to: l.rel, revision: r.revision, local: expected(l, content), record: { ...recordOf(s), rel: l.rel, key: l.key } };
    return { side: 'remote', from: s.rel, to: l.rel, member };
  }
  if (remoteMoved && !localMoved && content === s.hash) {
    // Brought down: an edit made there too comes down on the next pass (the synced revision is kept for it).
    const revision = r.hash === s.hash ? r.revision : s.revision;
    const member = { fileId: s.fileId, from: l.rel, to: r.rel, revision: r.revision, local: expected(l, content), record: { ...recordOf(s), rel: r.rel, key: r.key, revision } };
    return { side: 'local', from: l.rel, to: r.rel, member };
  }
  return undefined;
}

/**
 * The folder moves that would carry `from` to `to`: each way of splitting both into a folder and the
 * same names below it (`a/b/f` -> `c/b/f` gives `a` -> `c`; `a/f` -> `x/a/f` gives `a` -> `x/a`).
 */
function folderPairs(from: string, to: string): [string, string][] {
  const f = from.split('/');
  const t = to.split('/');
  const pairs: [string, string][] = [];
  for (let below = 1; below < f.length && below < t.length; below++) {
    if (!sameSpelling(f[f.length - below], t[t.length - below])) break;
    pairs.push([f.slice(0, f.length - below).join('/'), t.slice(0, t.length - below).join('/')]);
  }
  return pairs;
}

/** How many of `files` lie under each folder key (a file counts for every folder above it). */
function countUnder(files: readonly { readonly key: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { key } of files) {
    for (let at = key.indexOf('/', 1); at > 0; at = key.indexOf('/', at + 1)) {
      const folder = key.slice(0, at);
      counts.set(folder, (counts.get(folder) ?? 0) + 1);
    }
    // A file named like the folder itself also makes its place taken.
    counts.set(key, counts.get(key) ?? 0);
  }
  return counts;
}

const depth = (rel: string): number => rel.split('/').length;

/** Folder keys already given to a move: another may not lie at, above or below one of them. */
class Subtrees {
  private readonly keys = new Set<string>();
  private readonly above = new Set<string>();

  add(key: string): void {
    this.keys.add(key);
    for (let at = key.indexOf('/', 1); at > 0; at = key.indexOf('/', at + 1)) this.above.add(key.slice(0, at));
  }

  overlaps(key: string): boolean {
    if (this.keys.has(key) || this.above.has(key)) return true;
    for (let at = key.indexOf('/', 1); at > 0; at = key.indexOf('/', at + 1)) if (this.keys.has(key.slice(0, at))) return true;
    return false;
  }
}
