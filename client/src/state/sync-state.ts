/**
 * The sync tables of a synced folder's database (schema in migrations/002_sync.sql): the link to
 * the account, the remote tree with the change-feed cursor, and the synced tree. Every change of the
 * remote tree is written together with the cursor it came with, in one transaction, so a killed
 * daemon resumes from a cursor that matches the tree it finds.
 *
 * Both trees are read from the database once and then kept in memory, updated by this object's own
 * writes: a pass over 100,000 files would otherwise spend a second or more turning the same rows
 * into objects again. What another connection commits (another tote process: `tote sync --exclude`)
 * changes SQLite's data_version, and the copies are read again; a write through this connection
 * elsewhere (sync-selection.ts) calls {@link SyncStore.reread}.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { RemoteFile, RemoteRow, SyncedFile } from '../sync/model';

export interface SyncRoot {
  readonly endpoint: string;
  readonly remoteRoot: string;
  readonly deviceName: string;
  readonly cursor?: string;
  readonly linkedAt: number;
}

interface RootRow {
  endpoint: string;
  remote_root: string;
  device_name: string;
  cursor: string | null;
  linked_at: number;
}

/** Columns both file tables have. */
interface FileDbRow {
  file_id: string;
  path: string;
  path_key: string;
  revision: number;
  content_hash: string;
  size: number;
}

interface RemoteDbRow extends FileDbRow {
  live: number;
  ahead: number;
  owner_email: string | null;
  role: 'viewer' | 'editor' | null;
  name: string | null;
}

interface SyncedDbRow extends FileDbRow {
  mtime_ns: bigint;
  ctime_ns: bigint;
  inode: bigint;
  device: bigint;
}

const toRemote = (r: RemoteDbRow): RemoteRow => ({
  fileId: r.file_id,
  rel: r.path,
  key: r.path_key,
  revision: r.revision,
  hash: r.content_hash,
  size: r.size,
  live: r.live === 1,
  ...(r.ahead === 1 ? { ahead: true } : {}),
  ...(r.owner_email !== null && r.role !== null && r.name !== null ? { shared: { ownerEmail: r.owner_email, role: r.role, name: r.name } } : {}),
});

const toSynced = (r: SyncedDbRow): SyncedFile => ({
  fileId: r.file_id,
  rel: r.path,
  key: r.path_key,
  revision: Number(r.revision),
  hash: r.content_hash,
  size: Number(r.size),
  identity: { size: Number(r.size), mtimeNs: r.mtime_ns, ctimeNs: r.ctime_ns, inode: r.inode, device: r.device },
});

const byKeyThenId = (a: { key: string; fileId: string }, b: { key: string; fileId: string }): number =>
  a.key < b.key ? -1 : a.key > b.key ? 1 : a.fileId < b.fileId ? -1 : a.fileId > b.fileId ? 1 : 0;

/** A tree kept in memory: every row by file id, and (until the next write) the live ones in order. */
interface Cached<T> {
  readonly byId: Map<string, T>;
  ordered?: T[];
}

export class SyncStore {
  private remoteCache?: Cached<RemoteRow>;
  private syncedCache?: Cached<SyncedFile> & { readonly idByKey: Map<string, string> };
  /** SQLite's data_version when the copies were read: it changes when another connection commits. */
  private readVersion = -1;
  private readonly selectRoot: Statement;
  private readonly insertRoot: Statement;
  private readonly updateCursor: Statement;
  private readonly selectAllRemote: Statement;
  private readonly upsertRemote: Statement;
  private readonly clearRemote: Statement;
  private readonly selectSynced: Statement;
  private readonly upsertSyncedRow: Statement;
  private readonly deleteSyncedByKey: Statement;
  private readonly deleteSynced: Statement;
  private readonly selectLegacy: Statement;
  private readonly updateSyncedHash: Statement;
  private readonly deleteLegacy: Statement;

  constructor(private readonly db: Database) {
    this.selectRoot = db.prepare('SELECT endpoint, remote_root, device_name, cursor, linked_at FROM sync_root WHERE id = 1');
    this.insertRoot = db.prepare(
      'INSERT INTO sync_root (id, endpoint, remote_root, device_name, cursor, linked_at) VALUES (1, ?, ?, ?, NULL, ?)',
    );
    this.updateCursor = db.prepare('UPDATE sync_root SET cursor = ? WHERE id = 1');
    // Ordered, so a plan (and a replayed randomized test) does not depend on file ids.
    this.selectAllRemote = db.prepare('SELECT * FROM remote_files ORDER BY path_key, file_id');
    this.upsertRemote = db.prepare(
      `INSERT INTO remote_files (file_id, path, path_key, revision, content_hash, size, live, ahead, owner_email, role, name)
       VALUES (@fileId, @rel, @key, @revision, @hash, @size, @live, @ahead, @ownerEmail, @role, @name)
       ON CONFLICT (file_id) DO UPDATE SET path = excluded.path, path_key = excluded.path_key, revision = excluded.revision,
         content_hash = excluded.content_hash, size = excluded.size, live = excluded.live, ahead = excluded.ahead,
         owner_email = excluded.owner_email, role = excluded.role, name = excluded.name`,
    );
    this.clearRemote = db.prepare('DELETE FROM remote_files');
    this.selectSynced = db.prepare('SELECT * FROM synced_files ORDER BY path_key').safeIntegers(true);
    this.upsertSyncedRow = db.prepare(
      `INSERT INTO synced_files (file_id, path, path_key, revision, content_hash, size, mtime_ns, ctime_ns, inode, device, synced_at)
       VALUES (@fileId, @rel, @key, @revision, @hash, @size, @mtimeNs, @ctimeNs, @inode, @device, @syncedAt)
       ON CONFLICT (file_id) DO UPDATE SET path = excluded.path, path_key = excluded.path_key, revision = excluded.revision,
         content_hash = excluded.content_hash, size = excluded.size, mtime_ns = excluded.mtime_ns, ctime_ns = excluded.ctime_ns,
         inode = excluded.inode, device = excluded.device, synced_at = excluded.synced_at`,
    );
    this.deleteSyncedByKey = db.prepare('DELETE FROM synced_files WHERE path_key = ? AND file_id <> ?');
    this.deleteSynced = db.prepare('DELETE FROM synced_files WHERE file_id = ?');
    this.selectLegacy = db.prepare('SELECT file_id FROM legacy_synced_hashes ORDER BY file_id').pluck();
    this.updateSyncedHash = db.prepare('UPDATE synced_files SET content_hash = ? WHERE file_id = ?');
    this.deleteLegacy = db.prepare('DELETE FROM legacy_synced_hashes WHERE file_id = ?');
  }

  root(): SyncRoot | undefined {
    const row = this.selectRoot.get() as RootRow | undefined;
    if (!row) return undefined;
    return {
      endpoint: row.endpoint,
      remoteRoot: row.remote_root,
      deviceName: row.device_name,
      ...(row.cursor === null ? {} : { cursor: row.cursor }),
      linkedAt: row.linked_at,
    };
  }

  link(root: Pick<SyncRoot, 'endpoint' | 'remoteRoot' | 'deviceName'>, now = Date.now()): void {
    this.insertRoot.run(root.endpoint, root.remoteRoot, root.deviceName, now);
  }

  /** Files under the remote root (tombstones left out). */
  remoteFiles(): RemoteFile[] {
    const cache = this.remoteTree();
    cache.ordered ??= [...cache.byId.values()].filter((r) => r.live).sort(byKeyThenId);
    return [...cache.ordered];
  }

  remoteRow(fileId: string): RemoteRow | undefined {
    return this.remoteTree().byId.get(fileId);
  }

  /** Writes remote rows (newer states of files) and, with them, the cursor they were read up to. */
  applyRemote(rows: readonly RemoteRow[], cursor?: string): void {
    this.writing(() =>
      this.db.transaction(() => {
        for (const { shared, ...row } of rows) {
          this.upsertRemote.run({ ...row, live: row.live ? 1 : 0, ahead: row.ahead ? 1 : 0, ownerEmail: shared?.ownerEmail ?? null, role: shared?.role ?? null, name: shared?.name ?? null });
        }
        if (cursor !== undefined) this.updateCursor.run(cursor);
      })(),
    );
    const cache = this.remoteCache;
    if (!cache || rows.length === 0) return;
    for (const row of rows) cache.byId.set(row.fileId, row);
    cache.ordered = undefined;
  }

  /** Replaces the whole remote tree (a first listing, or a relisting after a cursor reset). */
  replaceRemote(rows: readonly RemoteRow[], cursor: string): void {
    this.writing(() =>
      this.db.transaction(() => {
        this.clearRemote.run();
        this.applyRemote(rows, cursor);
      })(),
    );
    this.remoteCache = undefined;
  }

  /** Every row of a file shared with the account, tombstones included. */
  sharedRows(): RemoteRow[] {
    return [...this.remoteTree().byId.values()].filter((r) => r.shared !== undefined).sort((a, b) => (a.fileId < b.fileId ? -1 : a.fileId > b.fileId ? 1 : 0));
  }

  syncedFiles(): SyncedFile[] {
    const cache = this.syncedTree();
    cache.ordered ??= [...cache.byId.values()].sort(byKeyThenId);
    return [...cache.ordered];
  }

  /** Records a file as synced; a stale row holding the same path (another file id) gives way. */
  recordSynced(file: SyncedFile, now = Date.now()): void {
    this.writing(() =>
      this.db.transaction(() => {
        this.deleteSyncedByKey.run(file.key, file.fileId);
        this.upsertSyncedRow.run({
          fileId: file.fileId,
          rel: file.rel,
          key: file.key,
          revision: file.revision,
          hash: file.hash,
          size: file.size,
          mtimeNs: file.identity.mtimeNs,
          ctimeNs: file.identity.ctimeNs,
          inode: file.identity.inode,
          device: file.identity.device,
          syncedAt: now,
        });
      })(),
    );
    const cache = this.syncedCache;
    if (!cache) return;
    const holder = cache.idByKey.get(file.key);
    if (holder !== undefined && holder !== file.fileId) this.dropSynced(holder);
    this.dropSynced(file.fileId);
    const { fileId, rel, key, revision, hash, size, identity } = file;
    cache.byId.set(fileId, { fileId, rel, key, revision, hash, size, identity });
    cache.idByKey.set(key, fileId);
  }

  /** Records several files as synced at once (all or none). */
  recordSyncedFiles(files: readonly SyncedFile[]): void {
    if (files.length === 0) return;
    this.writing(() => this.db.transaction(() => files.forEach((f) => this.recordSynced(f)))());
  }

  forgetSynced(fileId: string): void {
    this.writing(() => this.deleteSynced.run(fileId));
    this.dropSynced(fileId);
  }

  /** Synced files whose hash was written before the content-hash switch (migrations/005, sync/hash-upgrade.ts). */
  legacyHashes(): string[] {
    return this.selectLegacy.all() as string[];
  }

  /** A synced file's old hash is translated (`hash`), or found untranslatable (undefined: it stays, never equal to a new one). */
  settleLegacyHash(fileId: string, hash: string | undefined): void {
    this.writing(() =>
      this.db.transaction(() => {
        if (hash !== undefined) this.updateSyncedHash.run(hash, fileId);
        this.deleteLegacy.run(fileId);
      })(),
    );
    const cache = this.syncedCache;
    const known = cache?.byId.get(fileId);
    if (!cache || !known || hash === undefined) return;
    cache.byId.set(fileId, { ...known, hash });
    cache.ordered = undefined; // it holds the row with the old hash
  }

  /** Forgets several synced files at once (all or none). */
  forgetSyncedFiles(fileIds: readonly string[]): void {
    if (fileIds.length === 0) return;
    this.writing(() => this.db.transaction(() => fileIds.forEach((id) => this.deleteSynced.run(id)))());
    fileIds.forEach((id) => this.dropSynced(id));
  }

  /** Forgets the copies in memory: this connection changed the tables some other way (sync-selection.ts). */
  reread(): void {
    this.remoteCache = undefined;
    this.syncedCache = undefined;
  }

  /** A write; should it fail, the copies are read again (the transaction may have half-applied them). */
  private writing<T>(write: () => T): T {
    try {
      return write();
    } catch (error) {
      this.reread();
      throw error;
    }
  }

  /** The copies stand while no other connection committed since they were read. */
  private current(): void {
    const version = this.db.pragma('data_version', { simple: true }) as number;
    if (version !== this.readVersion) this.reread();
    this.readVersion = version;
  }

  private remoteTree(): Cached<RemoteRow> {
    this.current();
    if (!this.remoteCache) {
      const rows = (this.selectAllRemote.all() as RemoteDbRow[]).map(toRemote);
      this.remoteCache = { byId: new Map(rows.map((r) => [r.fileId, r])), ordered: rows.filter((r) => r.live) };
    }
    return this.remoteCache;
  }

  private syncedTree(): Cached<SyncedFile> & { readonly idByKey: Map<string, string> } {
    this.current();
    if (!this.syncedCache) {
      const rows = (this.selectSynced.all() as SyncedDbRow[]).map(toSynced);
      this.syncedCache = { byId: new Map(rows.map((r) => [r.fileId, r])), idByKey: new Map(rows.map((r) => [r.key, r.fileId])), ordered: rows };
    }
    return this.syncedCache;
  }

  private dropSynced(fileId: string): void {
    const cache = this.syncedCache;
    const known = cache?.byId.get(fileId);
    if (!cache || !known) return;
    cache.byId.delete(fileId);
    if (cache.idByKey.get(known.key) === fileId) cache.idByKey.delete(known.key);
    cache.ordered = undefined;
  }
}
