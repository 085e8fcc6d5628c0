/**
 * One pass over a byte stream yields everything an upload needs to start: the chunk list, the
 * total size and the whole-content SHA-256.
 */
import { createSha256 } from '../../hashing/sha256';
import { chunkStream, type ChunkInfo, type ChunkStreamOptions } from './chunker';

export interface Manifest {
  readonly size: number;
  /** SHA-256 of the whole content (of zero bytes for an empty stream). */
  readonly contentHash: string;
  /** In stream order; empty exactly when size is 0. */
  readonly chunks: readonly ChunkInfo[];
}

export async function buildManifest(source: AsyncIterable<Uint8Array>, options: ChunkStreamOptions = {}): Promise<Manifest> {
  const whole = createSha256();
  async function* tee(): AsyncGenerator<Uint8Array> {
    for await (const buf of source) {
      whole.update(buf);
      yield buf;
    }
  }
  const chunks: ChunkInfo[] = [];
  for await (const chunk of chunkStream(tee(), options)) chunks.push(chunk);
  const last = chunks[chunks.length - 1];
  return { size: last ? last.offset + last.size : 0, contentHash: whole.digest('hex'), chunks };
}
