/**
 * What an upload remembers across a crash: the sessions it started and every chunk storage accepted
 * for them, recorded the moment the PUT returns, so a rerun never sends those again. The Node client
 * keeps it in SQLite (state/upload-ledger.ts), a browser in IndexedDB, tests in memory.
 *
 * Confirmed chunks are grouped by where they went (the endpoint and the remote target: one
 * namespace), not by session: a rerun reads the file again and opens a new session, and any chunk an
 * earlier, unfinished upload to the same target had confirmed is skipped. That is safe because storage
 * only ever holds a chunk under its own hash, and the commit still checks every chunk is registered
 * (sending again whatever the service never registered).
 */

/** A value, or a promise of it: SQLite answers at once, IndexedDB later. */
export type Awaitable<T> = T | Promise<T>;

export interface UploadSessionRecord {
  readonly uploadId: string;
  readonly endpoint: string;
  /** Where the bytes come from (a path, a file name): for people reading the ledger. */
  readonly localPath: string;
  /** Where they go: a remote path, or the label of a file by id. */
  readonly remotePath: string;
  readonly size: number;
}

export interface UploadLedger {
  /** Starts tracking a session; an existing one (a resumed upload) keeps its confirmed chunks. */
  begin(session: UploadSessionRecord): Awaitable<void>;
  /** Chunks storage accepted for unfinished uploads to `remotePath` at `endpoint`. */
  confirmedFor(endpoint: string, remotePath: string): Awaitable<ReadonlySet<string>>;
  confirm(uploadId: string, hash: string, size: number): Awaitable<void>;
  /** The upload is committed: it, and every older unfinished upload to the same target, is forgotten. */
  finish(uploadId: string): Awaitable<void>;
}

/** An upload ledger in memory: resumes within one page or process, not across a crash. */
export class MemoryUploadLedger implements UploadLedger {
  private readonly sessions = new Map<string, UploadSessionRecord & { confirmed: Set<string> }>();

  begin(session: UploadSessionRecord): void {
    if (!this.sessions.has(session.uploadId)) this.sessions.set(session.uploadId, { ...session, confirmed: new Set() });
  }

  confirmedFor(endpoint: string, remotePath: string): ReadonlySet<string> {
    const out = new Set<string>();
    for (const s of this.sessions.values()) if (s.endpoint === endpoint && s.remotePath === remotePath) s.confirmed.forEach((h) => out.add(h));
    return out;
  }

  confirm(uploadId: string, hash: string): void {
    this.sessions.get(uploadId)?.confirmed.add(hash);
  }

  finish(uploadId: string): void {
    const done = this.sessions.get(uploadId);
    if (!done) return;
    for (const [id, s] of this.sessions) if (s.endpoint === done.endpoint && s.remotePath === done.remotePath) this.sessions.delete(id);
  }
}
