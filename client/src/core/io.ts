/**
 * Where bytes come from and go to, kept behind two small interfaces so the engines run anywhere: a
 * source reads ranges of a file (a Node file handle, a browser File's slices) and a sink writes at
 * offsets (a Node file descriptor, a browser FileSystemWritableFileStream, or memory).
 */
import { ToteError } from './errors';

export interface ByteSource {
  /** Bytes in the source when it was opened. */
  readonly size: number;
  /**
   * Exactly `length` bytes from `offset`, in a buffer the caller may keep. A source that got shorter
   * than that fails with LOCAL_CHANGED.
   */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Fills `target` with the bytes from `offset` (answers it), where the source can read into a
   * buffer it is given: callers that reuse buffers prefer it to {@link read}. Fails as `read` does.
   */
  readInto?(offset: number, target: Uint8Array): Promise<Uint8Array>;
  /**
   * Whether the source still holds the bytes it held when opened, as far as can be told without
   * reading them (a Node file: its identity, which any write moves; a browser File is a snapshot).
   */
  unchanged(): Promise<boolean>;
}

export interface ByteSink {
  /**
   * Writes all of `data` at `offset`; the sink was sized beforehand (a preallocated file). The
   * caller may reuse `data` once the write resolves: a sink that keeps bytes copies them.
   */
  write(offset: number, data: Uint8Array): Promise<void>;
}

/**
 * Bytes as web APIs type them (fetch bodies, Blob parts, stream writes): over an ArrayBuffer, never a
 * SharedArrayBuffer. Node's buffers are typed more loosely but are the same at run time.
 */
export const webBytes = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => bytes as Uint8Array<ArrayBuffer>;

/** The parts as one buffer of its own, `size` bytes long (their total). */
export function concatBytes(parts: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** What the chunker reads at a time: large enough that per-read costs vanish, small enough to stay flat. */
export const PIECE_BYTES = 1024 * 1024;

/**
 * The source from `from` to its end, in pieces of `pieceBytes` (the last may be shorter), one read
 * ahead so reading overlaps with whatever the consumer does with the previous piece. `admit`, when
 * given, is awaited before each read (a memory budget's backpressure). Each piece is a fresh buffer,
 * unless `reuse` is set and the source can read into a buffer: then two buffers take turns, and a
 * piece is overwritten as soon as the consumer asks for the next one (it must keep nothing of it
 * beyond that: it copies what it keeps). Allocating a buffer per megabyte read would leave a dropped
 * buffer per megabyte for the garbage collector, which frees them long after.
 */
export async function* readPieces(
  source: ByteSource,
  from = 0,
  pieceBytes = PIECE_BYTES,
  admit?: (bytes: number) => Promise<void>,
  reuse = false,
): AsyncGenerator<Uint8Array> {
  const readInto = reuse ? source.readInto?.bind(source) : undefined;
  const turns = readInto ? [new Uint8Array(Math.min(pieceBytes, source.size - from)), new Uint8Array(Math.min(pieceBytes, source.size - from))] : [];
  let turn = 0;
  const readAt = (at: number, length: number) => {
    if (!readInto) return source.read(at, length);
    const buffer = turns[turn++ % 2];
    return readInto(at, buffer.subarray(0, length));
  };
  const next = (at: number) => {
    if (at >= source.size) return undefined;
    const length = Math.min(pieceBytes, source.size - at);
    const read = admit ? admit(length).then(() => readAt(at, length)) : readAt(at, length);
    // An abandoned read-ahead must not surface as an unhandled rejection; awaiting it still throws.
    read.catch(() => undefined);
    return read;
  };
  let pending = next(from);
  for (let at = from; pending !== undefined; ) {
    const piece = await pending;
    at += piece.length;
    pending = next(at);
    yield piece;
  }
}

/** A source over bytes in memory (tests, and small content a browser already holds). */
export function memorySource(data: Uint8Array): ByteSource {
  return {
    size: data.length,
    async read(offset, length) {
      if (offset + length > data.length) throw new ToteError('LOCAL_CHANGED', 'the source got shorter while it was being read');
      return data.slice(offset, offset + length);
    },
    async readInto(offset, target) {
      if (offset + target.length > data.length) throw new ToteError('LOCAL_CHANGED', 'the source got shorter while it was being read');
      target.set(data.subarray(offset, offset + target.length));
      return target;
    },
    unchanged: async () => true,
  };
}

/** A sink into memory: the in-memory fallback where no file can be written (and tests). */
export class MemorySink implements ByteSink {
  private readonly data: Uint8Array;

  constructor(size: number) {
    this.data = new Uint8Array(size);
  }

  async write(offset: number, data: Uint8Array): Promise<void> {
    if (offset + data.length > this.data.length) throw new RangeError(`write of ${data.length} bytes at ${offset} is past the end (${this.data.length})`);
    this.data.set(data, offset);
  }

  /** Everything written so far (and zeros where nothing was). */
  bytes(): Uint8Array {
    return this.data;
  }
}
