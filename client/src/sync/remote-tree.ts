/**
 * The remote tree of a sync root, kept in the folder's database from the change feed. The first
 * time (and after a 410 CURSOR_RESET) it takes a cursor "from now", lists the remote root's folders,
 * and then replays the feed from that cursor, so a change made during the listing is not missed.
 * Entries are applied by revision: one no newer than what the tree holds is an echo (this device's
 * own change, recorded when the service answered it) or a replay, and changes nothing. Files shared
 * with the account join the tree too when the folder is synced with the whole account (shared-files.ts).
 *
 * A folder change (a move or delete of a whole folder) carries no per-file data: it applies to the
 * rows as the entries before it left them. A row recorded from the service's answer to this device's
 * own change is ahead of the feed until its echo arrives, so a folder change read before that echo
 * happened before the change and leaves the row alone: a file uploaded into `docs/` after `docs/` moved
 * away stays at `docs/` (moved with the folder, it would be deleted here and its later revisions
 * taken for echoes).
 */
import { LIMITS } from '@contract/limits';
import { isFolderChange, type ChangeEntry, type ChangesResponse, type FileChangeEntry, type FileMetadata } from '@contract/schemas';
import type { ApiClient } from '../core/api/client';
import { hasCode } from '../core/errors';
import type { SyncStore } from '../state/sync-state';
import type { RemoteRow } from './model';
import { relativeTo, relKey } from './paths';
import { folderChangeRows } from './remote-folders';
import { sharedChanges } from './shared-files';

/** One row per remote file state: live when it is a file under the remote root, a tombstone otherwise. */
export function rowOf(remoteRoot: string, file: { fileId: string; path: string; revision: number; contentHash: string; size: number }, live: boolean): RemoteRow {
  const rel = relativeTo(remoteRoot, file.path);
  const inside = live && rel !== undefined && rel !== '';
  return {
    fileId: file.fileId,
    rel: inside ? rel : '',
    key: inside ? relKey(rel) : '',
    revision: file.revision,
    hash: file.contentHash,
    size: file.size,
    live: inside,
  };
}

export class RemoteTree {
  constructor(
    private readonly api: ApiClient,
    private readonly store: SyncStore,
    private readonly remoteRoot: string,
  ) {}

  /** The pull under way: another waits for it (the executor reads the feed after a folder move of its own). */
  private pulling: Promise<unknown> = Promise.resolve();

  /** Brings the tree up to date with the feed; answers how many files changed in it. */
  pull(): Promise<number> {
    const next = this.pulling.then(() => this.pullNow());
    this.pulling = next.catch(() => undefined);
    return next;
  }

  private async pullNow(): Promise<number> {
    let cursor = this.store.root()?.cursor;
    let changed = 0;
    if (cursor === undefined) {
      changed += await this.relist();
      cursor = this.store.root()?.cursor as string;
    }
    for (;;) {
      let page;
      try {
        page = await this.api.call('listChanges', { query: { cursor, limit: String(LIMITS.listPageMax) } });
      } catch (error) {
        if (!hasCode(error, 'CURSOR_RESET')) throw error;
        changed += await this.relist();
        cursor = this.store.root()?.cursor as string;
        continue;
      }
      const own = this.ownChanges(page.entries);
      const files = page.entries.filter((e): e is FileChangeEntry => !isFolderChange(e));
      const rows = [...(own === 'relist' ? [] : own), ...this.sharedChanges(page.shared, files)];
      this.store.applyRemote(rows, page.cursor);
      changed += rows.length;
      cursor = page.cursor;
      if (own === 'relist') {
        changed += await this.relist();
        cursor = this.store.root()?.cursor as string;
        continue;
      }
      if (!page.hasMore) return changed;
    }
  }

  /**
   * The page's changes of the account's own files, in journal order: a folder change applies to the
   * rows as the entries before it left them. 'relist' when a folder change crossed the remote root's edge.
   */
  private ownChanges(entries: readonly ChangeEntry[]): RemoteRow[] | 'relist' {
    const changed = new Map<string, RemoteRow>();
    for (const e of entries) {
      if (isFolderChange(e)) {
        const current = new Map([...this.store.remoteFiles().map((f) => [f.fileId, { ...f, live: true }] as const), ...changed]);
        const rows = folderChangeRows(this.remoteRoot, [...current.values()].filter((r) => !r.ahead), e);
        if (rows === 'relist') return 'relist';
        for (const row of rows) changed.set(row.fileId, row);
        continue;
      }
      if (e.shared !== undefined) continue;
      const known = changed.get(e.fileId) ?? this.store.remoteRow(e.fileId);
      if (this.isNewer(known, e)) changed.set(e.fileId, rowOf(this.remoteRoot, e, e.type !== 'delete'));
      else if (known?.ahead && e.revision >= known.revision) changed.set(e.fileId, { ...known, ahead: false });
    }
    return [...changed.values()];
  }

  /** Records the service's answer to a change this device made, so the feed's echo of it is ignored. */
  noteOwnChange(file: FileMetadata): void {
    const known = this.store.remoteRow(file.fileId);
    if (known !== undefined && file.revision <= known.revision) return;
    // A shared file keeps its place here; only its content moved on (an editor's upload).
    const row = known?.shared ? { ...known, revision: file.revision, hash: file.contentHash, size: file.size } : { ...rowOf(this.remoteRoot, file, file.status !== 'deleted'), ahead: true };
    this.store.applyRemote([row]);
  }

  /** Files shared with the account: only in a folder synced with the whole account (see shared-files.ts). */
  private sharedChanges(snapshot: ChangesResponse['shared'], entries: readonly FileChangeEntry[]): RemoteRow[] {
    if (this.remoteRoot !== '/') return [];
    return sharedChanges(this.store.sharedRows(), snapshot, entries);
  }

  private isNewer(known: RemoteRow | undefined, file: Pick<FileChangeEntry, 'revision'>): boolean {
    return known === undefined || file.revision > known.revision;
  }

  /** A cursor from now (with the shared set), then every file under the remote root; answers how many files it holds. */
  private async relist(): Promise<number> {
    const now = await this.api.call('listChanges', { query: {} });
    const rows = [...(await this.listFiles()), ...(this.remoteRoot === '/' ? sharedChanges([], now.shared, []) : [])];
    this.store.replaceRemote(rows, now.cursor);
    return rows.length;
  }

  private async listFiles(): Promise<RemoteRow[]> {
    const rows: RemoteRow[] = [];
    const folders = [this.remoteRoot];
    while (folders.length > 0) {
      const folder = folders.pop() as string;
      let cursor: string | undefined;
      do {
        let page;
        try {
          page = await this.api.call('listFolder', { query: { path: folder, cursor, limit: String(LIMITS.listPageMax) } });
        } catch (error) {
          // A remote root that does not exist yet is an empty tree: the first upload creates it.
          if (folder === this.remoteRoot && hasCode(error, 'NOT_FOUND')) return [];
          throw error;
        }
        for (const entry of page.entries) {
          if (entry.kind === 'folder') folders.push(entry.path);
          else rows.push(rowOf(this.remoteRoot, entry, true));
        }
        cursor = page.cursor;
      } while (cursor);
    }
    return rows;
  }
}
