/**
 * The planner: a pure function of the three trees (local now, remote now, synced = last agreement)
 * to the operations that bring the two sides together. It never touches a disk or the network, so
 * every rule is tested as a table. A plan covers one pass; an operation whose place is still taken
 * waits (`deferred`) for a later pass, after the operation that frees the place has run.
 *
 * How files are matched:
 * - remote <-> synced by file id (a remote rename keeps the id);
 * - local <-> synced by path key, then by inode, then by content hash (local-claims.ts);
 * - whatever is left is new on its side. A new file on both sides at one path key is linked when
 *   the contents agree; otherwise the remote keeps the name and the local file becomes a conflicted copy.
 * Two local names with one key (`a.txt`, `A.txt` on a case-sensitive disk): the one already synced
 * (or the first by name) keeps it; the other is renamed `name (case conflict).ext` and syncs as a file of its own.
 *
 * The safety rule: a file missing here becomes a remote delete only when it is in the synced set
 * (this device saw it synced), was seen missing (not merely unseen: an unreadable folder, a link where
 * it was), has been missing for the settle time, and is not outside the synced set (ignored or
 * excluded). A synced file that becomes ignored leaves the set for good: un-ignored, it is a new
 * file on each side (equal contents are linked, different ones both kept).
 */
import { decide, type LocalSide, type SideChange } from './conflicts';
import { UNKNOWN_IDENTITY, type LocalFile, type RemoteFile, type SyncedFile } from './model';
import type { Operation, SyncedRecord } from './operations';
import { folderMoves, type FolderMovesInput } from './folder-moves';
import { claimLocal } from './local-claims';
import { caseConflictName, copyName, nameOf, relKey, sameSpelling } from './paths';
import { setAsideSettled } from './settled';
import { inSharedFolder } from './shared-files';
import { contentOf, expected, indexBy, localChange, recordOf, remoteChange } from './side-changes';

export interface PlanInput {
  readonly synced: readonly SyncedFile[];
  readonly local: readonly LocalFile[];
  readonly remote: readonly RemoteFile[];
  /** A conflicted-copy name for `rel` whose key `taken` says is free. */
  readonly conflictName: (rel: string, taken: (key: string) => boolean) => string;
  /**
   * Paths outside this device's synced set (its ignore rules and excluded folders, and where a link
   * or special file took a synced file's place). A synced file there leaves the set (`leaving`);
   * local and remote files there are left alone.
   */
  readonly ignored?: (rel: string) => boolean;
  /**
   * Paths whose local state the scan could not see (an unreadable folder or file, a name the service
   * refuses, a synced file renamed to one): nothing is decided about them this pass.
   */
  readonly unseen?: (rel: string) => boolean;
  /**
   * Whether a synced file missing here has been gone long enough to be a delete (the folder that
   * held it left alone for the settle time). Until then the delete waits: an editor replacing the
   * file, or a folder being moved, is not taken for a delete halfway.
   */
  readonly goneSettled?: (rel: string) => boolean;
  /** Folder moves refused before: their files move one by one (folder-moves.ts). */
  readonly folderMoveRefused?: FolderMovesInput['refused'];
}

export interface Plan {
  readonly operations: Operation[];
  /** Paths left for a later pass: still being written, or waiting for their place to be freed. */
  readonly deferred: string[];
  /** New local files in the shared folder: they stay on this device (nobody's files to upload them to). */
  readonly held: string[];
  /**
   * Synced files now outside the synced set (ignored, excluded): forgotten before any operation
   * runs, so nothing that happens to them here afterwards (deleted, edited, un-ignored) reaches the service.
   */
  readonly leaving: string[];
}

const NOWHERE = (): boolean => false;
const ALWAYS = (): boolean => true;

export function plan(input: PlanInput): Plan {
  const ignored = input.ignored ?? NOWHERE;
  const unseen = input.unseen ?? NOWHERE;
  const rest = setAsideSettled(input.synced, input.local, input.remote, (rel) => ignored(rel) || unseen(rel));
  return new Planner({ ...input, synced: rest.synced, local: rest.local, remote: rest.remote }, rest.keys, input).run();
}

class Planner {
  private readonly operations: Operation[] = [];
  private readonly deferred: string[] = [];
  private readonly held: string[] = [];
  private readonly leaving: string[] = [];
  /** The three trees without what lies outside the synced set or was not seen this pass. */
  private readonly synced: readonly SyncedFile[];
  private readonly local: readonly LocalFile[];
  private readonly remote: readonly RemoteFile[];
  /** Keys present on either side or promised by this plan: a new name must avoid them all. */
  private readonly taken = new Set<string>();
  private readonly localByKey = new Map<string, LocalFile>();
  private readonly remoteById: Map<string, RemoteFile>;
  private readonly remoteByKey: Map<string, RemoteFile>;
  private readonly syncedById: Map<string, SyncedFile>;
  private readonly syncedByKey: Map<string, SyncedFile>;
  /** Local file of each synced file id (local-claims.ts), and the synced file id by the key of its local file. */
  private claimed = new Map<string, LocalFile>();
  private claimedBy = new Map<string, string>();
  /** New remote files settled by a new local file at their key (linked or contested). */
  private readonly settledRemote = new Set<string>();
  /**
   * Local moves waiting for another synced file to leave their target, by file id: what they wait
   * for, and the detour (a move to a temporary name) that breaks a cycle of them (names swapped remotely).
   */
  private readonly blocked = new Map<string, { readonly waitsFor: string; readonly detour: () => Operation }>();

  constructor(
    private readonly input: PlanInput,
    /** Keys of the files all sides agree on, set aside (settled.ts): taken, as any file's. */
    private readonly settledKeys: ReadonlySet<string>,
    /** The three trees before the settled files were set aside: whether a folder moved whole is a question about all it holds. */
    private readonly whole: Pick<PlanInput, 'synced' | 'local' | 'remote'>,
  ) {
    const ignored = input.ignored ?? NOWHERE;
    const unseen = input.unseen ?? NOWHERE;
    // A synced file not seen here stays as it is on both sides, its remote file included.
    const frozen = new Set<string>();
    this.synced = input.synced.filter((s) => {
      if (ignored(s.rel)) this.leaving.push(s.fileId);
      else if (unseen(s.rel)) frozen.add(s.fileId);
      else return true;
      return false;
    });
    this.local = input.local.filter((l) => !ignored(l.rel) && !unseen(l.rel));
    this.remote = input.remote.filter((r) => !ignored(r.rel) && !unseen(r.rel) && !frozen.has(r.fileId));
    this.remoteById = new Map(this.remote.map((r) => [r.fileId, r]));
    this.remoteByKey = new Map(this.remote.map((r) => [r.key, r]));
    this.syncedById = new Map(this.synced.map((s) => [s.fileId, s]));
    this.syncedByKey = new Map(this.synced.map((s) => [s.key, s]));
    for (const f of [...input.local, ...input.remote]) this.taken.add(f.key);
  }

  run(): Plan {
    this.indexLocal();
    ({ byFileId: this.claimed, byKey: this.claimedBy } = claimLocal(this.synced, this.localByKey, this.syncedByKey));
    const { operations, covered } = folderMoves({
      synced: this.synced,
      allSynced: this.whole.synced,
      allLocal: this.whole.local,
      allRemote: this.whole.remote,
      claimed: this.claimed,
      remoteById: this.remoteById,
      refused: this.input.folderMoveRefused,
    });
    this.operations.push(...operations);
    for (const synced of this.synced) if (!covered.has(synced.fileId)) this.planSynced(synced);
    this.breakCycles();
    for (const local of this.localByKey.values()) if (!this.claimedBy.has(local.key)) this.planNewLocal(local);
    for (const remote of this.remote) if (!this.syncedById.has(remote.fileId) && !this.settledRemote.has(remote.fileId)) this.planNewRemote(remote);
    return { operations: this.operations, deferred: this.deferred, held: this.held, leaving: this.leaving };
  }

  private isTaken = (key: string): boolean => this.taken.has(key) || this.settledKeys.has(key);

  private reserve(rel: string): string {
    this.taken.add(relKey(rel));
    return rel;
  }

  /** One local file per key; the others of a case clash are renamed out of the way. */
  private indexLocal(): void {
    const byKey = indexBy([...this.local].sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0)), (f) => f.key);
    for (const [key, files] of byKey) {
      const synced = this.syncedByKey.get(key);
      const keeper = files.find((f) => synced !== undefined && sameSpelling(f.rel, synced.rel)) ?? files[0];
      this.localByKey.set(key, keeper);
      for (const other of files) {
        if (other === keeper) continue;
        const to = this.reserve(caseConflictName(other.rel, this.isTaken));
        this.operations.push({ type: 'move', side: 'local', from: other.rel, to, local: expected(other), reason: 'case-clash' });
      }
    }
  }

  private planSynced(s: SyncedFile): void {
    const l = this.claimed.get(s.fileId);
    const r = this.remoteById.get(s.fileId);
    const localSide = localChange(s, l);
    const remoteSide = remoteChange(s, r);
    const localHash = l === undefined ? undefined : contentOf(s, l);
    if (inSharedFolder(s.key) || r?.shared) return this.planShared(s, l, r, localSide, remoteSide, localHash);
    // An own file moved into the shared folder here cannot go there remotely (it would vanish from every
    // device): it leaves the synced set, stays here as a held file, and the remote one comes back to its place.
    if (l !== undefined && inSharedFolder(l.key)) return void this.operations.push({ type: 'forget', side: 'synced', fileId: s.fileId });
    const decision = decide(localSide, remoteSide, {
      sameContent: l !== undefined && r !== undefined && localHash === r.hash,
      samePath: l !== undefined && r !== undefined && sameSpelling(l.rel, r.rel),
    });
    switch (decision) {
      case 'wait':
        return void this.deferred.push(l?.rel ?? s.rel);
      case 'nothing':
        // A revision without a visible change (the same content uploaded again): remember it, so
        // the next upload names the right revision.
        if (r && l && r.revision !== s.revision) this.operations.push({ type: 'record', side: 'synced', record: recordOf(r), identity: s.identity });
        return;
      case 'forget':
        return void this.operations.push({ type: 'forget', side: 'synced', fileId: s.fileId });
      case 'pull':
      case 'pull-first':
        return this.pull(s, l!, r, remoteSide);
      case 'push':
        // Missing here, not long enough yet: decided again once its folder has settled.
        if (l === undefined && !(this.input.goneSettled ?? ALWAYS)(s.rel)) return void this.deferred.push(s.rel);
        return this.push(s, l, r!, localSide as SideChange);
      case 'restore':
        return this.download(r!);
      case 'push-as-new':
        return this.pushAsNew(s, l!);
      case 'converged':
        return void this.operations.push({ type: 'record', side: 'synced', record: recordOf(r!), identity: l!.identity });
      case 'follow-remote':
        return this.moveLocal(s, l!, r!, recordOf(r!), localHash);
      case 'keep-both':
        return this.keepBoth(s, l!);
    }
  }

  /** Applies the remote side's change here: its delete, else its move first (content as synced), else its content. */
  private pull(s: SyncedFile, l: LocalFile, r: RemoteFile | undefined, change: SideChange): void {
    if (r === undefined) return void this.operations.push({ type: 'delete', side: 'local', rel: l.rel, fileId: s.fileId, local: expected(l, contentOf(s, l)) });
    if (change.moved) {
      // Moved and edited there: move now, keeping the synced revision, so the next pass brings the content.
      return this.moveLocal(s, l, r, { ...recordOf(s), rel: r.rel, key: r.key, revision: change.edited ? s.revision : r.revision }, contentOf(s, l));
    }
    if (change.edited) {
      // The synced path stays recorded: where the local file moved meanwhile, the next pass pushes that move.
      return void this.operations.push({ type: 'edit', side: 'local', rel: l.rel, file: r, record: { ...recordOf(r), rel: s.rel, key: s.key }, local: expected(l, contentOf(s, l)) });
    }
    this.operations.push({ type: 'record', side: 'synced', record: recordOf(r), identity: l.identity });
  }

  /** Applies the local side's change remotely: a move first (content as synced), else the content, else the delete. */
  private push(s: SyncedFile, l: LocalFile | undefined, r: RemoteFile, change: SideChange): void {
    if (l === undefined) return void this.operations.push({ type: 'delete', side: 'remote', fileId: s.fileId, rel: s.rel, expectedRevision: r.revision });
    if (change.moved) {
      const occupant = this.remoteByKey.get(l.key);
      if (occupant && occupant.fileId !== s.fileId) return this.contest(l);
      const record = { ...recordOf(s), rel: l.rel, key: l.key, revision: r.revision };
      return void this.operations.push({ type: 'move', side: 'remote', fileId: s.fileId, from: r.rel, to: l.rel, expectedRevision: r.revision, record, local: expected(l, contentOf(s, l)) });
    }
    this.operations.push({ type: 'edit', side: 'remote', fileId: s.fileId, rel: l.rel, local: expected(l), expectedRevision: r.revision });
  }

  /**
   * A file shared with the account: the owner decides its name, place and existence, so local
   * moves are moved back and local deletes restored; only an editor's content edit goes up. Bytes
   * that cannot go up (a viewer's edit, an edit of a file no longer shared, an edit that conflicts)
   * are kept as a file of the user's own, at the folder's top. A shared file moved out of the shared
   * folder becomes the user's own file, and the shared one comes back.
   */
  private planShared(s: SyncedFile, l: LocalFile | undefined, r: RemoteFile | undefined, local: LocalSide, remote: SideChange, localHash: string | undefined): void {
    if (local === 'being-written') return void this.deferred.push(l?.rel ?? s.rel);
    if (l !== undefined && !inSharedFolder(l.key)) return void this.operations.push({ type: 'forget', side: 'synced', fileId: s.fileId });
    if (l === undefined) return r ? this.download(r) : void this.operations.push({ type: 'forget', side: 'synced', fileId: s.fileId });
    const mayEdit = r?.shared?.role === 'editor';
    if (local.edited && (r === undefined || !mayEdit || (remote.edited && localHash !== r.hash))) return this.keepAside(s, l);
    if (r === undefined) return void this.operations.push({ type: 'delete', side: 'local', rel: l.rel, fileId: s.fileId, local: expected(l, localHash) });
    if (local.moved) return this.moveLocal(s, l, r, { ...recordOf(s), rel: r.rel, key: r.key }, localHash);
    if (local.edited && !remote.edited) {
      return void this.operations.push({ type: 'edit', side: 'remote', fileId: s.fileId, rel: l.rel, local: expected(l), expectedRevision: r.revision });
    }
    if (remote.moved || remote.edited || r.revision !== s.revision) this.pull(s, l, r, remote);
  }

  /** Local bytes of a shared file that cannot go up: they become the user's own file, at the top of the folder. */
  private keepAside(s: SyncedFile, l: LocalFile): void {
    const to = this.reserve(this.input.conflictName(nameOf(l.rel), this.isTaken));
    this.operations.push({ type: 'move', side: 'local', from: l.rel, to, local: expected(l), reason: 'conflict', forget: s.fileId });
  }

  /** Deleted remotely but edited or moved here: the local bytes go up as a new file. */
  private pushAsNew(s: SyncedFile, l: LocalFile): void {
    const occupant = this.remoteByKey.get(l.key);
    if (occupant) return this.contest(l, s.fileId);
    this.operations.push({ type: 'add', side: 'remote', rel: l.rel, local: expected(l, contentOf(s, l)), replaces: s.fileId });
  }

  /** Both edited, differently: the local bytes move to a conflicted copy; the remote version comes down next pass. */
  private keepBoth(s: SyncedFile, l: LocalFile): void {
    const to = this.reserve(this.input.conflictName(l.rel, this.isTaken));
    this.operations.push({ type: 'move', side: 'local', from: l.rel, to, local: expected(l), reason: 'conflict', forget: s.fileId });
  }

  /**
   * A local file stands where the remote has another file (new there, or moved there): the remote
   * keeps the name, the local bytes move to a conflicted copy. (A remote file synced at that very
   * name cannot be the occupant: the local file there would be that synced file's own.)
   */
  private contest(l: LocalFile, forget?: string): void {
    // In the shared folder nothing new can go up: the copy goes to the top of the folder, as the user's own.
    const to = this.reserve(this.input.conflictName(inSharedFolder(l.key) ? nameOf(l.rel) : l.rel, this.isTaken));
    this.operations.push({ type: 'move', side: 'local', from: l.rel, to, local: expected(l), reason: 'conflict', ...(forget ? { forget } : {}) });
  }

  /** Moves a local file (holding `content`) of synced file `s` to where the remote file is, if that place is free here. */
  private moveLocal(s: SyncedFile, l: LocalFile, r: RemoteFile, record: SyncedRecord, content: string | undefined): void {
    if (sameSpelling(l.rel, r.rel)) {
      // Already there (moved the same way on both sides): only the record moves.
      const identity = content === record.hash ? l.identity : UNKNOWN_IDENTITY;
      return void this.operations.push({ type: 'record', side: 'synced', record, identity });
    }
    if (!this.localPlaceFree(r.key, l)) {
      const occupant = this.claimedBy.get(r.key);
      if (occupant !== undefined && occupant !== s.fileId) {
        this.blocked.set(s.fileId, {
          waitsFor: occupant,
          detour: () => {
            // Recorded at the temporary name with the synced revision: the next pass still sees the remote move to follow.
            const to = this.detourName(l.rel);
            return { type: 'move', side: 'local', from: l.rel, to, local: expected(l, content), reason: 'remote', record: { ...recordOf(s), rel: to, key: relKey(to) } };
          },
        });
      }
      return void this.deferred.push(l.rel);
    }
    this.operations.push({ type: 'move', side: 'local', from: l.rel, to: r.rel, local: expected(l, content), reason: 'remote', record });
  }

  private detourName(rel: string): string {
    return this.reserve(copyName(rel, 'moving', this.isTaken));
  }

  /**
   * Local moves that wait for each other in a ring (two names swapped remotely, three rotated)
   * never start by themselves: the first of each ring takes a detour through a temporary name, and the
   * ring unwinds over the next passes.
   */
  private breakCycles(): void {
    const seen = new Set<string>();
    for (const start of [...this.blocked.keys()].sort()) {
      const path: string[] = [];
      let at: string | undefined = start;
      while (at !== undefined && !seen.has(at)) {
        seen.add(at);
        path.push(at);
        at = this.blocked.get(at)?.waitsFor;
      }
      if (at === undefined || !path.includes(at)) continue;
      const ring = path.slice(path.indexOf(at)).sort();
      this.operations.push(this.blocked.get(ring[0])!.detour());
    }
  }

  /** Downloads a remote file to its path, if that place is free here. */
  private download(r: RemoteFile): void {
    if (!this.localPlaceFree(r.key)) return void this.deferred.push(r.rel);
    this.operations.push({ type: 'add', side: 'local', rel: r.rel, file: r, record: recordOf(r) });
  }

  private localPlaceFree(key: string, self?: LocalFile): boolean {
    const occupant = this.localByKey.get(key);
    return occupant === undefined || occupant === self;
  }

  private planNewLocal(l: LocalFile): void {
    if (inSharedFolder(l.key) && !this.remoteByKey.has(l.key)) return void this.held.push(l.rel);
    if (l.hash === undefined) return void this.deferred.push(l.rel);
    const occupant = this.remoteByKey.get(l.key);
    if (occupant === undefined) return void this.operations.push({ type: 'add', side: 'remote', rel: l.rel, local: expected(l) });
    if (!this.syncedById.has(occupant.fileId) && occupant.hash === l.hash) {
      this.settledRemote.add(occupant.fileId);
      return void this.operations.push({ type: 'record', side: 'synced', record: recordOf(occupant), identity: l.identity });
    }
    if (!this.syncedById.has(occupant.fileId)) this.settledRemote.add(occupant.fileId);
    this.contest(l);
  }

  /** A local file at that key is a synced file leaving it (its own operation frees the place). */
  private planNewRemote(r: RemoteFile): void {
    this.download(r);
  }
}
