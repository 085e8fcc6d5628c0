/**
 * A chunk arriving from storage, written as it arrives and verified on the way: the stored bytes are
 * decompressed when the chunk was stored compressed (never beyond its announced size), hashed piece by
 * piece, and written at the chunk's offset in pieces of about a megabyte, so a chunk in flight holds
 * no more than that in memory. Its identity is always the SHA-256 of the plaintext: only when every
 * byte is in and the digest matches is the chunk good. Until then its range of the file is scratch
 * (a failed chunk is fetched again over it).
 */
import type { Compression } from '@contract/schemas';
import { ToteError, isToteError } from '../errors';
import type { Sha256Factory } from '../hashing/sha256';
import { webBytes } from '../io';

export interface ExpectedChunk {
  readonly hash: string;
  readonly size: number;
  readonly offset: number;
  readonly compression: Compression;
}

export interface ReceiveOptions {
  readonly createSha256: Sha256Factory;
  readonly write: (offset: number, data: Uint8Array) => Promise<void>;
  /**
   * Where pieces are gathered for each write (its length is the write size; {@link gatherBytes}):
   * the caller's, reused from chunk to chunk, for a buffer per chunk would be garbage by the
   * megabyte. Free again once this returns or throws (every write was awaited).
   */
  readonly gather: Uint8Array;
}

/** Plaintext gathered before a write. */
const WRITE_BYTES = 1024 * 1024;

/** The size of the buffer a chunk of `size` bytes is gathered in. */
export const gatherBytes = (size: number) => Math.min(WRITE_BYTES, size);

/** Receives one chunk's stored bytes into place; answers how many stored bytes travelled. */
export async function receiveChunk(stored: AsyncIterable<Uint8Array>, expected: ExpectedChunk, options: ReceiveOptions): Promise<number> {
  let travelled = 0;
  async function* counted() {
    for await (const piece of stored) {
      travelled += piece.length;
      yield piece;
    }
  }
  const hash = await options.createSha256();
  let received = 0;
  let written = 0;
  // One buffer gathers the pieces (tens of kilobytes each) for every write of the chunk: a sink is
  // done with the bytes once its write resolves.
  const gathered = options.gather;
  let filled = 0;
  const flush = async () => {
    if (filled === 0) return;
    await options.write(expected.offset + written, gathered.subarray(0, filled));
    written += filled;
    filled = 0;
  };
  const plain = expected.compression === 'gzip' ? gunzip(counted(), expected.hash) : counted();
  for await (const piece of plain) {
    received += piece.length;
    if (received > expected.size) throw corrupt(expected.hash, `more than its ${expected.size} bytes`);
    hash.update(piece);
    for (let at = 0; at < piece.length; ) {
      const n = Math.min(piece.length - at, gathered.length - filled);
      gathered.set(piece.subarray(at, at + n), filled);
      filled += n;
      at += n;
      if (filled === gathered.length) await flush();
    }
  }
  await flush();
  if (received !== expected.size) throw corrupt(expected.hash, `${received} of its ${expected.size} bytes`);
  if (hash.digest() !== expected.hash) throw corrupt(expected.hash, 'different content');
  return travelled;
}

const corrupt = (hash: string, what: string, cause?: unknown) =>
  new ToteError('CHUNK_CORRUPT', `chunk ${hash} arrived with ${what}`, cause === undefined ? {} : { cause });

/**
 * gzip-decompressed pieces of `pieces`, through the platform's DecompressionStream. A failure of
 * the input (the network) surfaces as itself; bytes that do not decompress as CHUNK_CORRUPT.
 */
async function* gunzip(pieces: AsyncIterable<Uint8Array>, hash: string): AsyncGenerator<Uint8Array> {
  const stream = new DecompressionStream('gzip');
  const writer = stream.writable.getWriter();
  let inputFailure: { error: unknown } | undefined;
  const feeding = (async () => {
    try {
      for await (const piece of pieces) await writer.write(webBytes(piece));
      await writer.close();
    } catch (error) {
      inputFailure ??= { error };
      await writer.abort(error).catch(() => undefined);
    }
  })();
  const reader = stream.readable.getReader();
  let done = false;
  try {
    for (;;) {
      const read = await reader.read().catch(async (error: unknown) => {
        await feeding;
        if (inputFailure) throw inputFailure.error;
        throw isToteError(error) ? error : corrupt(hash, 'bytes that do not decompress', error);
      });
      if (read.done) break;
      yield read.value;
    }
    done = true;
  } finally {
    // Given up early (too many bytes, a failed write): stop the decompressor and the feeding.
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
    await feeding;
  }
  if (inputFailure) throw inputFailure.error;
}
