/**
 * Content-defined chunking of a byte stream: buffers in, chunks (offset, size, SHA-256) out, each
 * with its bytes, or its first bytes, when asked for. Without them memory stays flat: chunk bytes are
 * hashed as they pass and never collected (an upload keeps only each chunk's head, for its compression
 * test, and reads a chunk again, from the page cache, when it sends it). Empty input yields no chunks
 * (a 0-byte file has an empty manifest).
 */
import type { Sha256Factory } from '../hashing/sha256';
import { concatBytes } from '../io';
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

/** A chunk as cut, with its bytes or its first bytes when they were kept. */
export interface CutChunk extends ChunkInfo {
  readonly bytes?: Uint8Array;
  /** Its first `headBytes` bytes (all of it when it is shorter). */
  readonly head?: Uint8Array;
}

export interface ChunkStreamOptions {
  readonly createSha256: Sha256Factory;
  readonly params?: ChunkingParams;
  /** Progress counter: called with the size of every buffer once it has been scanned. */
  readonly onBytes?: (bytes: number) => void;
  /**
   * Yield every chunk with its bytes, in a buffer of its own (the input buffers may be reused after it
   * is yielded). Without it, an input buffer may be reused as soon as the next one is asked for.
   */
  readonly keepBytes?: boolean;
  /** Yield every chunk with this many of its first bytes, in a buffer of their own. */
  readonly headBytes?: number;
}

export async function* chunkStream(source: AsyncIterable<Uint8Array>, options: ChunkStreamOptions): AsyncGenerator<CutChunk> {
  const scanner = new BoundaryScanner(cutterFor(options.params ?? DEFAULT_CHUNKING));
  let hash = await options.createSha256();
  let parts: Uint8Array[] = [];
  let kept = 0;
  let index = 0;
  let chunkStart = 0;
  let position = 0;
  const keep = options.keepBytes ? Infinity : (options.headBytes ?? 0);

  const cut = async (): Promise<CutChunk> => {
    const size = position - chunkStart;
    // Kept bytes get a buffer of their own (even a single part: its buffer is the reader's).
    const chunk: CutChunk = {
      index: index++,
      offset: chunkStart,
      size,
      hash: hash.digest(),
      ...(options.keepBytes ? { bytes: concatBytes(parts, size) } : {}),
      ...(options.headBytes ? { head: concatBytes(parts, kept) } : {}),
    };
    parts = [];
    kept = 0;
    chunkStart = position;
    return chunk;
  };

  for await (const buf of source) {
    let from = 0;
    while (from < buf.length) {
      const end = scanner.next(buf, from);
      const to = end < 0 ? buf.length : end;
      const part = buf.subarray(from, to);
      hash.update(part);
      if (kept < keep) {
        const wanted = part.subarray(0, Math.min(part.length, keep - kept));
        // A head is copied at once (its input buffer may be refilled before the chunk is cut); whole chunks are copied at the cut.
        parts.push(options.keepBytes ? wanted : wanted.slice());
        kept += wanted.length;
      }
      position += to - from;
      from = to;
      if (end >= 0) {
        yield await cut();
        hash = await options.createSha256();
      }
    }
    options.onBytes?.(buf.length);
  }
  if (position > chunkStart) yield await cut();
}
