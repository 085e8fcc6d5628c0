/**
 * Downloads in progress and the chunks already verified and written into each temp file, so a
 * download killed midway and run again fetches only the rest. A temp file left from a different
 * revision of the file starts over. A revision's content never changes, so the content hash is not
 * compared (it is recorded as it was: one from before the content-hash switch names the same bytes),
 * and the download reads back and verifies every chunk it keeps anyway.
 */
import type { Database, Statement } from 'better-sqlite3';

export interface DownloadRecord {
  readonly tempPath: string;
  readonly destPath: string;
  readonly fileId: string;
  readonly revision: number;
  readonly contentHash: string;
  readonly size: number;
}

export interface WrittenChunk {
  readonly index: number;
  readonly offset: number;
  readonly size: number;
  readonly hash: string;
}

export class DownloadLedger {
  private readonly selectDownload: Statement;
  private readonly deleteDownload: Statement;
  private readonly insertDownload: Statement;
  private readonly selectWritten: Statement;
  private readonly insertWritten: Statement;

  constructor(private readonly db: Database) {
    this.selectDownload = db.prepare('SELECT file_id, revision, size FROM downloads WHERE temp_path = ?');
    this.deleteDownload = db.prepare('DELETE FROM downloads WHERE temp_path = ?');
    this.insertDownload = db.prepare(
      `INSERT INTO downloads (temp_path, dest_path, file_id, revision, content_hash, size, started_at)
       VALUES (@tempPath, @destPath, @fileId, @revision, @contentHash, @size, @startedAt)`,
    );
    this.selectWritten = db.prepare('SELECT idx AS "index", offset, size, hash FROM download_chunks WHERE temp_path = ? ORDER BY idx');
    this.insertWritten = db.prepare(
      `INSERT INTO download_chunks (temp_path, idx, offset, size, hash) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (temp_path, idx) DO NOTHING`,
    );
  }

  /**
   * Starts or resumes the download into `record.tempPath`. Returns the chunks a previous run wrote
   * for the same revision; a previous run for anything else is forgotten and nothing is returned.
   */
  begin(record: DownloadRecord): WrittenChunk[] {
    return this.db.transaction((): WrittenChunk[] => {
      const previous = this.selectDownload.get(record.tempPath) as
        | { file_id: string; revision: number; size: number }
        | undefined;
      const same = previous !== undefined && previous.file_id === record.fileId && previous.revision === record.revision && previous.size === record.size;
      if (same) return this.selectWritten.all(record.tempPath) as WrittenChunk[];
      this.deleteDownload.run(record.tempPath);
      this.insertDownload.run({ ...record, startedAt: Date.now() });
      return [];
    })();
  }

  written(tempPath: string, chunk: WrittenChunk): void {
    this.insertWritten.run(tempPath, chunk.index, chunk.offset, chunk.size, chunk.hash);
  }

  /** Forgets a download (finished, or its temp file is gone). */
  finish(tempPath: string): void {
    this.deleteDownload.run(tempPath);
  }
}
