/**
 * When a changed file has been left alone long enough to be read and uploaded. A fixed wait (the
 * --settle option) is either slow for the common case, a file written in one go, or risky for a file
 * written slowly, which may pause longer than the wait. So by default the quiet a file needs grows
 * with how long its current write has been going on: at least MIN (250 ms, what a one-shot write of
 * a small file gets, alongside the watcher's own quiet period), as much as the write has lasted so
 * far, at most MAX (10 s). A slow copy or download therefore has to pause for a long time before it
 * counts as finished. Where the write started is the earliest of what is known: the file's birth
 * time when the file is newer than the content last synced at its path (a new file, or one renamed
 * into place by an atomic save), and the first moment a pass saw it changing.
 *
 * A file read while still being written is not lost either way: the upload checks the file's
 * identity around every read and is redone when it moved, and a version committed from a pause is
 * followed by the next one.
 */
export const ADAPTIVE_SETTLE = { minMs: 250, maxMs: 10_000 } as const;

export interface ChangedFile {
  readonly key: string;
  /** Last change of the file (mtime or ctime, the later), epoch ms. */
  readonly lastChangeMs: number;
  /** Birth time, epoch ms; 0 where the file system does not keep one. */
  readonly bornMs: number;
  /** mtime of the content last synced at this path, epoch ms; undefined for a path not synced yet. */
  readonly syncedMtimeMs?: number;
}

export class WriteSettle {
  /** Earliest change seen of a write still in progress, by key. */
  private readonly writing = new Map<string, number>();

  /** `fixedMs`: the quiet every file needs (--settle); undefined for the adaptive rule. */
  constructor(private readonly fixedMs?: number) {}

  /** The shortest wait a pass may sleep before a deferred file can settle. */
  get minimumMs(): number {
    return this.fixedMs ?? ADAPTIVE_SETTLE.minMs;
  }

  /** When `file` will have been quiet long enough, epoch ms; before that it is still being written. */
  settlesAt(file: ChangedFile): number {
    if (this.fixedMs !== undefined) return file.lastChangeMs + this.fixedMs;
    const born = file.bornMs > 0 && (file.syncedMtimeMs === undefined || file.bornMs > file.syncedMtimeMs) ? file.bornMs : Infinity;
    const started = Math.min(born, this.writing.get(file.key) ?? Infinity, file.lastChangeMs);
    const quiet = Math.min(ADAPTIVE_SETTLE.maxMs, Math.max(ADAPTIVE_SETTLE.minMs, file.lastChangeMs - started));
    return file.lastChangeMs + quiet;
  }

  /** A pass saw `file` still being written. */
  stillWriting(file: ChangedFile): void {
    this.writing.set(file.key, Math.min(this.writing.get(file.key) ?? Infinity, file.lastChangeMs));
  }

  /** `key` settled (or is gone): its next change is a new write. */
  settled(key: string): void {
    this.writing.delete(key);
  }
}
