/**
 * A local file opened for the core's engines (core/transfer/describe.ts, OpenedSource): its bytes
 * by range, whether it still holds the bytes it held when first opened (its identity), and the
 * manifest the local state remembers for it while that identity holds.
 */
import { open } from 'node:fs/promises';
import type { OpenedSource } from '../core/transfer/describe';
import { onDisk } from '../localfs/errors';
import { fileSource } from '../localfs/file-io';
import { handleIdentity, sameIdentity, type FileIdentity } from '../localfs/identity';
import type { LocalFileIndex } from '../state/local-file-index';

export interface OpenedLocalFile extends OpenedSource {
  /** The identity its bytes are judged by: the one given, or the file's when opened. */
  readonly identity: FileIdentity;
}

/**
 * Opens `path`. `since`, when given, is its identity when it was first opened (a batch opens a file
 * once to hash it and again to send it): `unchanged()` then answers for that whole time.
 */
export async function openLocalFile(index: LocalFileIndex, path: string, since?: FileIdentity): Promise<OpenedLocalFile> {
  const handle = await onDisk(path, () => open(path, 'r'));
  try {
    const source = await fileSource(handle, path);
    const identity = since ?? source.identity;
    return {
      identity,
      source: { ...source, unchanged: async () => sameIdentity(identity, await handleIdentity(handle, path)) },
      known: sameIdentity(identity, source.identity) ? index.lookup(path, identity) : undefined,
      remember: (manifest) => index.record(path, identity, manifest),
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
