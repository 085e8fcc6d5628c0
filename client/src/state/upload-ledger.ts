/**
 * The core's upload ledger (core/transfer/ledger.ts) in SQLite: upload sessions and the chunks
 * storage has accepted for each. A chunk is confirmed the moment its PUT returns, so an upload killed
 * at any point and run again sends only what was never confirmed.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { UploadLedger, UploadSessionRecord } from '../core/transfer/ledger';

export class SqliteUploadLedger implements UploadLedger {
  private readonly insertSession: Statement;
  private readonly selectConfirmed: Statement;
  private readonly insertConfirmed: Statement;
  private readonly deleteTarget: Statement;
  private readonly deleteStale: Statement;

  constructor(db: Database) {
    this.insertSession = db.prepare(
      `INSERT INTO uploads (upload_id, endpoint, local_path, remote_path, size, started_at)
       VALUES (@uploadId, @endpoint, @localPath, @remotePath, @size, @startedAt)
       ON CONFLICT (upload_id) DO NOTHING`,
    );
    this.selectConfirmed = db
      .prepare('SELECT DISTINCT c.hash FROM uploads u JOIN upload_chunks c USING (upload_id) WHERE u.endpoint = ? AND u.remote_path = ?')
      .pluck();
    this.insertConfirmed = db.prepare(
      `INSERT INTO upload_chunks (upload_id, hash, size, confirmed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (upload_id, hash) DO NOTHING`,
    );
    this.deleteTarget = db.prepare(
      `DELETE FROM uploads WHERE (endpoint, remote_path) IN (SELECT endpoint, remote_path FROM uploads WHERE upload_id = ?)`,
    );
    this.deleteStale = db.prepare('DELETE FROM uploads WHERE started_at < ?');
  }

  begin(session: UploadSessionRecord): void {
    this.insertSession.run({ ...session, startedAt: Date.now() });
  }

  confirmedFor(endpoint: string, remotePath: string): Set<string> {
    return new Set(this.selectConfirmed.all(endpoint, remotePath) as string[]);
  }

  confirm(uploadId: string, hash: string, size: number): void {
    this.insertConfirmed.run(uploadId, hash, size, Date.now());
  }

  finish(uploadId: string): void {
    this.deleteTarget.run(uploadId);
  }

  /** Forgets sessions started before `cutoffMs` (the service has forgotten them too). */
  pruneStartedBefore(cutoffMs: number): number {
    return this.deleteStale.run(cutoffMs).changes;
  }
}
