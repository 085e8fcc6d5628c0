/**
 * The content hashes a pass needs, and only those: a file whose identity is what was synced keeps
 * the synced hash unread; a changed one is hashed once it has stopped changing (write-settle.ts).
 */
import { toToteError } from '../core/errors';
import type { EventSink } from '../events';
import { sameIdentity } from '../localfs/identity';
import type { LocalFileIndex } from '../state/local-file-index';
import { contentHash } from './guarded-fs';
import type { ScannedFile } from './local-scan';
import type { LocalFile, SyncedFile } from './model';
import { absolutePath } from './paths';
import type { WriteSettle } from './write-settle';

export interface LocalHasherOptions {
  readonly root: string;
  readonly localFiles: LocalFileIndex;
  readonly settle: WriteSettle;
  readonly emit: EventSink;
  readonly warn: (code: string, rel: string, message: string) => void;
  readonly now: () => number;
}

export class LocalHasher {
  constructor(private readonly options: LocalHasherOptions) {}

  /**
   * The scanned files with their content hash where the planner needs it: files that differ from
   * what was synced at their path, once they have stopped changing. Hashes come from the local
   * index when the identity is unchanged since last hashed; a file only renamed (same inode, size
   * and mtime as a synced file) keeps that file's hash without being read again.
   */
  async hashed(files: readonly ScannedFile[], synced: readonly SyncedFile[]): Promise<{ local: LocalFile[]; unreadable: string[]; settlesAt?: number }> {
    const byKey = new Map(synced.map((s) => [s.key, s]));
    // Only for files that changed: built the first time one did (most passes have none).
    let byInode: Map<string, SyncedFile> | undefined;
    const renamedFrom = (f: ScannedFile) => (byInode ??= new Map(synced.map((s) => [`${s.identity.device}:${s.identity.inode}`, s]))).get(`${f.identity.device}:${f.identity.inode}`);
    const now = this.options.now();
    const out: LocalFile[] = [];
    const unreadable: string[] = [];
    let settlesAt: number | undefined;
    for (const f of files) {
      const same = byKey.get(f.key);
      if (same && sameIdentity(same.identity, f.identity)) {
        out.push(f);
        continue;
      }
      const changed = {
        key: f.key,
        lastChangeMs: Number((f.identity.mtimeNs > f.identity.ctimeNs ? f.identity.mtimeNs : f.identity.ctimeNs) / 1_000_000n),
        bornMs: f.bornMs ?? 0,
        ...(same ? { syncedMtimeMs: Number(same.identity.mtimeNs / 1_000_000n) } : {}),
      };
      const settles = this.options.settle.settlesAt(changed);
      if (now < settles) {
        this.options.settle.stillWriting(changed);
        settlesAt = Math.min(settlesAt ?? Infinity, settles);
        out.push(f);
        continue;
      }
      this.options.settle.settled(f.key);
      const renamed = renamedFrom(f);
      if (renamed && renamed.identity.mtimeNs === f.identity.mtimeNs && renamed.identity.size === f.identity.size) {
        out.push({ ...f, hash: renamed.hash });
        continue;
      }
      try {
        const hash = await this.hashOf(f);
        out.push(hash === undefined ? f : { ...f, hash });
      } catch (error) {
        const failure = toToteError(error);
        if (failure.code !== 'LOCAL_IO') throw error;
        // Unreadable (permissions, an I/O error): left out of this pass, never taken for deleted.
        this.options.warn('unreadable', f.rel, `not synced while it cannot be read (${failure.message})`);
        unreadable.push(f.rel);
      }
    }
    return { local: out, unreadable, ...(settlesAt === undefined ? {} : { settlesAt }) };
  }

  private async hashOf(f: ScannedFile): Promise<string | undefined> {
    try {
      return await contentHash(this.options.localFiles, this.options.emit, absolutePath(this.options.root, f.rel));
    } catch (error) {
      const code = toToteError(error).code;
      // Changing or vanishing under the reader: still being written, or gone by the next scan.
      if (code === 'LOCAL_CHANGED' || code === 'LOCAL_NOT_FOUND') return undefined;
      throw error;
    }
  }
}
