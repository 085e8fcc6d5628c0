/**
 * Local files whose chunk lists are known, keyed by absolute path and checked against the file's
 * identity (size, mtime, ctime, inode, device): a hit means the file is unchanged since it was
 * hashed, so `put` need not hash it again and `get` may copy its chunks (after re-hashing the range).
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ChunkInfo } from '../core/chunking/chunker';
import type { Manifest } from '../core/chunking/manifest';
import type { FileIdentity } from '../localfs/identity';

/** A place on this machine where a chunk's bytes were, when its file was last recorded. */
export interface ChunkSource {
  readonly path: string;
  readonly offset: number;
  readonly size: number;
  /** The file's identity when recorded: use the bytes only if the file still has it. */
  readonly identity: FileIdentity;
}

interface FileRow {
  id: bigint;
  content_hash: string;
  size: bigint;
}

interface SourceRow {
  path: string;
  offset: bigint;
  size: bigint;
  file_size: bigint;
  mtime_ns: bigint;
  ctime_ns: bigint;
  inode: bigint;
  device: bigint;
}

export class LocalFileIndex {
  private readonly findFile: Statement;
  private readonly chunksOf: Statement;
  private readonly deleteFile: Statement;
  private readonly insertFile: Statement;
  private readonly insertChunk: Statement;
  private readonly sourcesOf: Statement;

  constructor(private readonly db: Database) {
    this.findFile = db
      .prepare(
        `SELECT id, content_hash, size FROM local_files
         WHERE path = ? AND size = ? AND mtime_ns = ? AND ctime_ns = ? AND inode = ? AND device = ?`,
      )
      .safeIntegers(true);
    this.chunksOf = db.prepare('SELECT idx, offset, size, hash FROM local_chunks WHERE file_id = ? ORDER BY idx');
    this.deleteFile = db.prepare('DELETE FROM local_files WHERE path = ?');
    this.insertFile = db.prepare(
      `INSERT INTO local_files (path, size, mtime_ns, ctime_ns, inode, device, content_hash, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertChunk = db.prepare('INSERT INTO local_chunks (file_id, idx, offset, size, hash) VALUES (?, ?, ?, ?, ?)');
    this.sourcesOf = db
      .prepare(
        `SELECT f.path, c.offset, c.size, f.size AS file_size, f.mtime_ns, f.ctime_ns, f.inode, f.device
         FROM local_chunks c JOIN local_files f ON f.id = c.file_id
         WHERE c.hash = ? LIMIT ?`,
      )
      .safeIntegers(true);
  }

  /** The manifest recorded for `path`, if the file still has the identity it had then. */
  lookup(path: string, identity: FileIdentity): Manifest | undefined {
    const row = this.findFile.get(path, identity.size, identity.mtimeNs, identity.ctimeNs, identity.inode, identity.device) as
      | FileRow
      | undefined;
    if (!row) return undefined;
    const chunks = (this.chunksOf.all(row.id) as { idx: number; offset: number; size: number; hash: string }[]).map(
      (c): ChunkInfo => ({ index: c.idx, offset: c.offset, size: c.size, hash: c.hash }),
    );
    return { size: Number(row.size), contentHash: row.content_hash, chunks };
  }

  /** Replaces whatever was known about `path`. */
  record(path: string, identity: FileIdentity, manifest: Manifest): void {
    this.db.transaction(() => {
      this.deleteFile.run(path);
      const { lastInsertRowid } = this.insertFile.run(
        path,
        identity.size,
        identity.mtimeNs,
        identity.ctimeNs,
        identity.inode,
        identity.device,
        manifest.contentHash,
        Date.now(),
      );
      for (const c of manifest.chunks) this.insertChunk.run(lastInsertRowid, c.index, c.offset, c.size, c.hash);
    })();
  }

  forget(path: string): void {
    this.deleteFile.run(path);
  }

  /** Up to `limit` local places that held a chunk with this hash. */
  sources(hash: string, limit = 4): ChunkSource[] {
    return (this.sourcesOf.all(hash, limit) as SourceRow[]).map((r) => ({
      path: r.path,
      offset: Number(r.offset),
      size: Number(r.size),
      identity: { size: Number(r.file_size), mtimeNs: r.mtime_ns, ctimeNs: r.ctime_ns, inode: r.inode, device: r.device },
    }));
  }
}
