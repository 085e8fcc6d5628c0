/**
 * A file's manifest: its chunk list, its size and its content hash. The content hash is computed
 * from the chunk digests (contract/content-hash.ts), never by hashing the file's bytes a second time:
 * `manifestOf` is the client's one call site of that definition.
 */
import { contentHashOf } from '@contract/content-hash';
import { chunkStream, type ChunkInfo, type ChunkStreamOptions } from './chunker';

export interface Manifest {
  readonly size: number;
  /** contentHashOf the chunk digests (SHA-256 of zero bytes for an empty stream). */
  readonly contentHash: string;
  /** In stream order; empty exactly when size is 0. */
  readonly chunks: readonly ChunkInfo[];
}

/** The manifest of a file cut into `chunks` (in order, covering it exactly). */
export async function manifestOf(chunks: readonly ChunkInfo[]): Promise<Manifest> {
  const last = chunks[chunks.length - 1];
  const described = chunks.map(({ index, offset, size, hash }) => ({ index, offset, size, hash }));
  return { size: last ? last.offset + last.size : 0, contentHash: await contentHashOf(chunks.map((c) => c.hash)), chunks: described };
}

/** One pass over a byte stream: its manifest. */
export async function buildManifest(source: AsyncIterable<Uint8Array>, options: Omit<ChunkStreamOptions, 'keepBytes'>): Promise<Manifest> {
  const chunks: ChunkInfo[] = [];
  for await (const chunk of chunkStream(source, options)) chunks.push(chunk);
  return manifestOf(chunks);
}
