/**
 * Content-defined chunking of a byte stream: buffers in, chunks (offset, size, SHA-256) out.
 * Memory stays flat: chunk bytes are hashed as they pass and never collected. Empty input yields
 * no chunks (a 0-byte file has an empty manifest).
 */
import { createSha256 } from '../../hashing/sha256';
import { cutterFor, DEFAULT_CHUNKING, type ChunkingParams } from './params';
import { BoundaryScanner } from './scanner';

export interface ChunkInfo {
  readonly index: number;
  /** Offset of the chunk's first byte in the stream. */
  readonly offset: number;
  readonly size: number;
  /** SHA-256 of the chunk's bytes, lowercase hex. */
  readonly hash: string;
}

export interface ChunkStreamOptions {
  readonly params?: ChunkingParams;
  /** Progress counter: called with the size of every buffer once it has been scanned. */
  readonly onBytes?: (bytes: number) => void;
}

export async function* chunkStream(
  source: AsyncIterable<Uint8Array>,
  options: ChunkStreamOptions = {},
): AsyncGenerator<ChunkInfo> {
  const scanner = new BoundaryScanner(cutterFor(options.params ?? DEFAULT_CHUNKING));
  let hash = createSha256();
  let index = 0;
  let chunkStart = 0;
  let position = 0;

  for await (const buf of source) {
    let from = 0;
    while (from < buf.length) {
      const cut = scanner.next(buf, from);
      const to = cut < 0 ? buf.length : cut;
      hash.update(buf.subarray(from, to));
      position += to - from;
      from = to;
      if (cut >= 0) {
        yield { index: index++, offset: chunkStart, size: position - chunkStart, hash: hash.digest('hex') };
        hash = createSha256();
        chunkStart = position;
      }
    }
    options.onBytes?.(buf.length);
  }
  if (position > chunkStart) {
    yield { index, offset: chunkStart, size: position - chunkStart, hash: hash.digest('hex') };
  }
}
