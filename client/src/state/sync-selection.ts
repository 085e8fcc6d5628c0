/**
 * What a synced folder leaves out on this device and which remote deletes wait for the user (schema
 * in migrations/006_sync_selection.sql). These tables are written by the daemon and by other tote
 * processes (`tote sync <folder> --exclude ... | --allow-deletes`) while it runs; each edit from
 * outside bumps the selection version, which the daemon watches.
 *
 * Excluding or including a folder forgets the synced rows under it in the same transaction: a file
 * that was outside the synced set at any moment is never again taken for "synced here", so its local
 * absence can never become a remote delete (the planner forgets them too, for `.toteignore` rules).
 */
import type { Database, Statement } from 'better-sqlite3';

export interface ExcludedFolder {
  /** Relative to the sync root, as the user spelled it. */
  readonly rel: string;
  readonly key: string;
}

export interface HeldDelete {
  readonly fileId: string;
  readonly rel: string;
  readonly allowed: boolean;
}

export class SyncSelection {
  private readonly selectVersion: Statement;
  private readonly bumpVersion: Statement;
  private readonly selectExcluded: Statement;
  private readonly insertExcluded: Statement;
  private readonly deleteExcludedWithin: Statement;
  private readonly forgetSyncedWithin: Statement;
  private readonly selectHeld: Statement;
  private readonly insertHeld: Statement;
  private readonly deleteHeld: Statement;
  private readonly clearHeld: Statement;
  private readonly allowAll: Statement;
  private readonly forgetSynced: Statement;

  constructor(
    private readonly db: Database,
    /** Told after this connection deleted synced rows (the sync store's copy in memory is stale then). */
    private readonly syncedChanged: () => void = () => undefined,
  ) {
    this.selectVersion = db.prepare('SELECT selection_version FROM sync_root WHERE id = 1').pluck();
    this.bumpVersion = db.prepare('UPDATE sync_root SET selection_version = selection_version + 1 WHERE id = 1');
    this.selectExcluded = db.prepare('SELECT path, path_key FROM excluded_folders ORDER BY path_key');
    this.insertExcluded = db.prepare('INSERT OR IGNORE INTO excluded_folders (path_key, path, added_at) VALUES (?, ?, ?)');
    const within = (column: string) => `(${column} = @key OR substr(${column}, 1, length(@key) + 1) = @key || '/')`;
    this.deleteExcludedWithin = db.prepare(`DELETE FROM excluded_folders WHERE ${within('path_key')}`);
    this.forgetSyncedWithin = db.prepare(`DELETE FROM synced_files WHERE ${within('path_key')}`);
    this.selectHeld = db.prepare('SELECT file_id, path, allowed FROM held_deletes ORDER BY path');
    this.insertHeld = db.prepare('INSERT OR IGNORE INTO held_deletes (file_id, path, held_at, allowed) VALUES (?, ?, ?, 0)');
    this.deleteHeld = db.prepare('DELETE FROM held_deletes WHERE file_id = ?');
    this.clearHeld = db.prepare('DELETE FROM held_deletes');
    this.allowAll = db.prepare('UPDATE held_deletes SET allowed = 1');
    this.forgetSynced = db.prepare('DELETE FROM synced_files WHERE file_id = ?');
  }

  /** Changes with every edit made through `exclude`, `include`, `allowHeld` and `restoreHeld`. */
  version(): number {
    return (this.selectVersion.get() as number | undefined) ?? 0;
  }

  excluded(): ExcludedFolder[] {
    return (this.selectExcluded.all() as { path: string; path_key: string }[]).map((r) => ({ rel: r.path, key: r.path_key }));
  }

  /** Leaves a folder out (the synced rows under it are forgotten). Answers false when it already was. */
  exclude(folder: ExcludedFolder, now = Date.now()): boolean {
    const answer = this.db.transaction(() => {
      const added = this.insertExcluded.run(folder.key, folder.rel, now).changes > 0;
      this.forgetSyncedWithin.run({ key: folder.key });
      this.bumpVersion.run();
      return added;
    })();
    this.syncedChanged();
    return answer;
  }

  /**
   * Takes a folder back (and any excluded folders inside it); its files come back as new remote
   * files. Rows a pass recorded under it meanwhile are forgotten too. Answers how many exclusions ended.
   */
  include(folder: ExcludedFolder): number {
    const answer = this.db.transaction(() => {
      const ended = this.deleteExcludedWithin.run({ key: folder.key }).changes;
      this.forgetSyncedWithin.run({ key: folder.key });
      this.bumpVersion.run();
      return ended;
    })();
    this.syncedChanged();
    return answer;
  }

  held(): HeldDelete[] {
    return (this.selectHeld.all() as { file_id: string; path: string; allowed: number }[]).map((r) => ({ fileId: r.file_id, rel: r.path, allowed: r.allowed === 1 }));
  }

  /** The deletes held now (an allowance already given for one of them stays); every other row goes. */
  replaceHeld(held: readonly Omit<HeldDelete, 'allowed'>[], now = Date.now()): void {
    this.db.transaction(() => {
      const keep = new Set(held.map((h) => h.fileId));
      for (const row of this.held()) if (!keep.has(row.fileId)) this.deleteHeld.run(row.fileId);
      for (const h of held) this.insertHeld.run(h.fileId, h.rel, now);
    })();
  }

  /** The user's go-ahead for every delete held now. Answers how many. */
  allowHeld(): number {
    return this.db.transaction(() => {
      const allowed = this.allowAll.run().changes;
      this.bumpVersion.run();
      return allowed;
    })();
  }

  /** The user's "no": the held files leave the synced set, so they come back as new remote files. Answers how many. */
  restoreHeld(): number {
    const answer = this.db.transaction(() => {
      const held = this.held();
      for (const h of held) this.forgetSynced.run(h.fileId);
      this.clearHeld.run();
      this.bumpVersion.run();
      return held.length;
    })();
    this.syncedChanged();
    return answer;
  }
}
