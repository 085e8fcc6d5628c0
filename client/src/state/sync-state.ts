/**
 * The sync tables of a synced folder's database (schema in migrations/002_sync.sql): the link to
 * the account, the remote tree with the change-feed cursor, and the synced tree. Every change of the
 * remote tree is written together with the cursor it came with, in one transaction, so a killed
 * daemon resumes from a cursor that matches the tree it finds.
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

export class SyncStore {
  private readonly selectRoot: Statement;
  private readonly insertRoot: Statement;
  private readonly updateCursor: Statement;
  private readonly selectLiveRemote: Statement;
  private readonly selectRemote: Statement;
  private readonly upsertRemote: Statement;
  private readonly clearRemote: Statement;
  private readonly selectShared: Statement;
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
    this.selectLiveRemote = db.prepare('SELECT * FROM remote_files WHERE live = 1 ORDER BY path_key, file_id');
    this.selectRemote = db.prepare('SELECT * FROM remote_files WHERE file_id = ?');
    this.upsertRemote = db.prepare(
      `INSERT INTO remote_files (file_id, path, path_key, revision, content_hash, size, live, owner_email, role, name)
       VALUES (@fileId, @rel, @key, @revision, @hash, @size, @live, @ownerEmail, @role, @name)
       ON CONFLICT (file_id) DO UPDATE SET path = excluded.path, path_key = excluded.path_key, revision = excluded.revision,
         content_hash = excluded.content_hash, size = excluded.size, live = excluded.live, owner_email = excluded.owner_email,
         role = excluded.role, name = excluded.name`,
    );
    this.selectShared = db.prepare('SELECT * FROM remote_files WHERE owner_email IS NOT NULL ORDER BY file_id');
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
    return (this.selectLiveRemote.all() as RemoteDbRow[]).map(toRemote);
  }

  remoteRow(fileId: string): RemoteRow | undefined {
    const row = this.selectRemote.get(fileId) as RemoteDbRow | undefined;
    return row ? toRemote(row) : undefined;
  }

  /** Writes remote rows (newer states of files) and, with them, the cursor they were read up to. */
  applyRemote(rows: readonly RemoteRow[], cursor?: string): void {
    this.db.transaction(() => {
      for (const { shared, ...row } of rows) {
        this.upsertRemote.run({ ...row, live: row.live ? 1 : 0, ownerEmail: shared?.ownerEmail ?? null, role: shared?.role ?? null, name: shared?.name ?? null });
      }
      if (cursor !== undefined) this.updateCursor.run(cursor);
    })();
  }

  /** Replaces the whole remote tree (a first listing, or a relisting after a cursor reset). */
  replaceRemote(rows: readonly RemoteRow[], cursor: string): void {
    this.db.transaction(() => {
      this.clearRemote.run();
      this.applyRemote(rows, cursor);
    })();
  }

  /** Every row of a file shared with the account, tombstones included. */
  sharedRows(): RemoteRow[] {
    return (this.selectShared.all() as RemoteDbRow[]).map(toRemote);
  }

  syncedFiles(): SyncedFile[] {
    return (this.selectSynced.all() as SyncedDbRow[]).map(toSynced);
  }

  /** Records a file as synced; a stale row holding the same path (another file id) gives way. */
  recordSynced(file: SyncedFile, now = Date.now()): void {
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
    })();
  }

  forgetSynced(fileId: string): void {
    this.deleteSynced.run(fileId);
  }

  /** Synced files whose hash was written before the content-hash switch (migrations/005, sync/hash-upgrade.ts). */
  legacyHashes(): string[] {
    return this.selectLegacy.all() as string[];
  }

  /** A synced file's old hash is translated (`hash`), or found untranslatable (undefined: it stays, never equal to a new one). */
  settleLegacyHash(fileId: string, hash: string | undefined): void {
    this.db.transaction(() => {
      if (hash !== undefined) this.updateSyncedHash.run(hash, fileId);
      this.deleteLegacy.run(fileId);
    })();
  }

  /** Forgets several synced files at once (all or none). */
  forgetSyncedFiles(fileIds: readonly string[]): void {
    if (fileIds.length === 0) return;
    this.db.transaction(() => fileIds.forEach((id) => this.deleteSynced.run(id)))();
  }
}
