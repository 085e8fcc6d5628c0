/**
 * The client's local state: one SQLite database in the state dir, opened once per process. This
 * object is its only writer; every write is one statement or one transaction. WAL mode lets a
 * second tote process read and wait its turn to write instead of failing.
 */
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { LIMITS } from '@contract/limits';
import { fsError } from '../localfs/errors';
import { DownloadLedger } from './download-ledger';
import { LocalFileIndex } from './local-file-index';
import { migrate } from './migrate';
import { SyncSelection } from './sync-selection';
import { SyncStore } from './sync-state';
import { SqliteUploadLedger } from './upload-ledger';

export const STATE_DB_FILE = 'state.db';

export class StateStore {
  readonly localFiles: LocalFileIndex;
  readonly uploads: SqliteUploadLedger;
  readonly downloads: DownloadLedger;
  /** Sync tables; used only where the database is a synced folder's (<folder>/.tote/). */
  readonly sync: SyncStore;
  /** Excluded folders and held deletes of a synced folder (written by other tote processes too). */
  readonly selection: SyncSelection;

  private constructor(private readonly db: Database) {
    this.localFiles = new LocalFileIndex(db);
    this.uploads = new SqliteUploadLedger(db);
    this.downloads = new DownloadLedger(db);
    this.sync = new SyncStore(db);
    this.selection = new SyncSelection(db, () => this.sync.reread());
  }

  static open(stateDir: string): StateStore {
    const path = join(stateDir, STATE_DB_FILE);
    let db: Database;
    try {
      mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      db = new BetterSqlite3(path);
    } catch (error) {
      throw fsError(error, path);
    }
    db.pragma('journal_mode = WAL');
    // Durable across a killed process (what resume needs); an OS crash may lose the last moments.
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 10000');
    db.pragma('foreign_keys = ON');
    migrate(db);
    const store = new StateStore(db);
    store.uploads.pruneStartedBefore(Date.now() - LIMITS.uploadSessionTtlSeconds * 1000);
    return store;
  }

  close(): void {
    this.db.close();
  }
}
