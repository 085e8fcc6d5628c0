/**
 * One pass over a byte stream yields everything an upload needs to start: the chunk list, the
 * total size and the content hash, which is defined over the chunk digests (contract/content-hash.ts)
 * so no second hash runs over the bytes.
 */
import { contentHashOf } from '@contract/content-hash';
import { chunkStream, type ChunkInfo, type ChunkStreamOptions } from './chunker';

export interface Manifest {
  readonly size: number;
  /** contentHashOf the chunk hashes, in order (SHA-256 of zero bytes for an empty stream). */
  readonly contentHash: string;
  /** In stream order; empty exactly when size is 0. */
  readonly chunks: readonly ChunkInfo[];
}

/** What is known of a file's bytes before its content hash is derived: the chunk list. */
export type ChunkList = Omit<Manifest, 'contentHash'>;

/** The manifest of a chunk list: its content hash added. */
export async function withContentHash(list: ChunkList): Promise<Manifest> {
  return { ...list, contentHash: await contentHashOf(list.chunks.map((c) => c.hash)) };
}

export async function buildManifest(source: AsyncIterable<Uint8Array>, options: ChunkStreamOptions = {}): Promise<Manifest> {
  const chunks: ChunkInfo[] = [];
  for await (const chunk of chunkStream(source, options)) chunks.push(chunk);
  const last = chunks[chunks.length - 1];
  return withContentHash({ size: last ? last.offset + last.size : 0, chunks });
}
