/**
 * Pass 1 of an upload: the file's chunk list and content hash, streamed through the chunker with
 * flat memory, or taken from the local state when the file is unchanged since it was last hashed.
 * A file that changes while it is read is refused rather than described by a mixed-up manifest.
 */
import type { FileHandle } from 'node:fs/promises';
import { buildManifest, withContentHash, type Manifest } from '../chunking/manifest';
import { ToteError } from '../errors';
import type { EventSink } from '../events';
import { fsError } from '../localfs/errors';
import { handleIdentity, sameIdentity } from '../localfs/identity';
import type { LocalFileIndex } from '../state/local-file-index';

/** Read size for hashing: large enough that per-buffer overhead vanishes. */
const READ_BUFFER_BYTES = 1024 * 1024;
/** Hashing progress is reported at most once per this many bytes. */
const PROGRESS_STEP_BYTES = 16 * 1024 * 1024;

export async function localManifest(index: LocalFileIndex, emit: EventSink, path: string, handle: FileHandle): Promise<Manifest> {
  const identity = await handleIdentity(handle, path);
  const known = index.lookup(path, identity);
  if (known) {
    emit({ type: 'hash.done', localPath: path, chunks: known.chunks.length, cached: true });
    return withContentHash(known);
  }
  emit({ type: 'hash.start', localPath: path, size: identity.size });
  let bytes = 0;
  let reported = 0;
  const onBytes = (n: number) => {
    bytes += n;
    if (bytes - reported >= PROGRESS_STEP_BYTES) {
      reported = bytes;
      emit({ type: 'hash.progress', localPath: path, bytes, size: identity.size });
    }
  };
  let manifest: Manifest;
  try {
    const stream = handle.createReadStream({ start: 0, highWaterMark: READ_BUFFER_BYTES, autoClose: false });
    manifest = await buildManifest(stream, { onBytes });
  } catch (error) {
    throw fsError(error, path);
  }
  if (!sameIdentity(identity, await handleIdentity(handle, path)) || manifest.size !== identity.size) {
    throw new ToteError('LOCAL_CHANGED', 'file changed while it was being read; run the command again when it is complete', { subject: path });
  }
  index.record(path, identity, manifest);
  emit({ type: 'hash.done', localPath: path, chunks: manifest.chunks.length, cached: false });
  return manifest;
}
