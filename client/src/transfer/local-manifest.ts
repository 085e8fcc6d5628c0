/**
 * A local file's manifest (its chunk list and content hash), streamed through the chunker with flat
 * memory, or taken from the local state when the file is unchanged since it was last hashed. The sync
 * engine compares contents by it.
 */
import type { Manifest } from '../core/chunking/manifest';
import { describeSource } from '../core/transfer/describe';
import type { EventSink } from '../events';
import { nodeSha256 } from '../hashing/sha256';
import type { LocalFileIndex } from '../state/local-file-index';
import { openLocalFile } from './local-source';

export async function localManifest(index: LocalFileIndex, emit: EventSink, path: string): Promise<Manifest> {
  const opened = await openLocalFile(index, path);
  try {
    return await describeSource({ createSha256: nodeSha256, emit }, path, opened);
  } finally {
    await opened.close();
  }
}
