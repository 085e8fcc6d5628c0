/**
 * Upload sessions and the chunks storage has accepted for each. A chunk is confirmed the moment its
 * PUT returns, so an upload killed at any point and run again sends only what was never confirmed.
 */
import type { Database, Statement } from 'better-sqlite3';

export interface UploadSessionRecord {
  readonly uploadId: string;
  readonly endpoint: string;
  readonly localPath: string;
  readonly remotePath: string;
  readonly size: number;
  readonly contentHash: string;
  readonly chunkCount: number;
}

export class UploadLedger {
  private readonly insertSession: Statement;
  private readonly selectConfirmed: Statement;
  private readonly insertConfirmed: Statement;
  private readonly deleteSession: Statement;
  private readonly deleteStale: Statement;

  constructor(db: Database) {
    this.insertSession = db.prepare(
      `INSERT INTO uploads (upload_id, endpoint, local_path, remote_path, size, content_hash, chunk_count, started_at)
       VALUES (@uploadId, @endpoint, @localPath, @remotePath, @size, @contentHash, @chunkCount, @startedAt)
       ON CONFLICT (upload_id) DO NOTHING`,
    );
    this.selectConfirmed = db.prepare('SELECT hash FROM upload_chunks WHERE upload_id = ?').pluck();
    this.insertConfirmed = db.prepare(
      `INSERT INTO upload_chunks (upload_id, hash, size, confirmed_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (upload_id, hash) DO NOTHING`,
    );
    this.deleteSession = db.prepare('DELETE FROM uploads WHERE upload_id = ?');
    this.deleteStale = db.prepare('DELETE FROM uploads WHERE started_at < ?');
  }

  /** Starts tracking a session; an existing one (a resumed upload) keeps its confirmed chunks. */
  begin(session: UploadSessionRecord): void {
    this.insertSession.run({ ...session, startedAt: Date.now() });
  }

  confirmedHashes(uploadId: string): Set<string> {
    return new Set(this.selectConfirmed.all(uploadId) as string[]);
  }

  confirm(uploadId: string, hash: string, size: number): void {
    this.insertConfirmed.run(uploadId, hash, size, Date.now());
  }

  /** The upload is committed: nothing about it is needed any more. */
  finish(uploadId: string): void {
    this.deleteSession.run(uploadId);
  }

  /** Forgets sessions started before `cutoffMs` (the service has forgotten them too). */
  pruneStartedBefore(cutoffMs: number): number {
    return this.deleteStale.run(cutoffMs).changes;
  }
}
