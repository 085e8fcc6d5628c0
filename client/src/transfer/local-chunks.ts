/**
 * Chunks a download can copy from disk instead of fetching: any local file recorded with that chunk
 * (uploaded or downloaded by this client) that is provably unchanged since (same identity) and
 * whose bytes at that range still hash right. Records of changed files are forgotten.
 */
import { open } from 'node:fs/promises';
import { isToteError } from '../core/errors';
import { sha256Of } from '../core/hashing/sha256';
import { nodeSha256 } from '../hashing/sha256';
import { onDisk } from '../localfs/errors';
import { sameIdentity, statEntry } from '../localfs/identity';
import { readRange } from '../localfs/ranges';
import type { LocalFileIndex } from '../state/local-file-index';

export async function readLocalChunk(index: LocalFileIndex, hash: string, size: number): Promise<Uint8Array | undefined> {
  for (const source of index.sources(hash)) {
    if (source.size !== size) continue;
    try {
      const now = await statEntry(source.path);
      if (!sameIdentity(now, source.identity)) {
        index.forget(source.path);
        continue;
      }
      const handle = await onDisk(source.path, () => open(source.path, 'r'));
      try {
        const bytes = await readRange(handle, source.path, source.offset, size);
        if ((await sha256Of(nodeSha256, bytes)) === hash) return bytes;
      } finally {
        await handle.close();
      }
    } catch (error) {
      // A source that vanished or cannot be read is just not a source; the chunk is fetched instead.
      if (!isToteError(error)) throw error;
      index.forget(source.path);
    }
  }
  return undefined;
}
