/**
 * The whole-content SHA-256 of a download, computed as its chunks land instead of by reading the
 * whole file back at the end (a second pass over every byte: minutes for tens of gigabytes). A
 * chunk is hashed as soon as every byte before it has been. Chunks that land early wait in memory up
 * to a bound; past it only their place is kept, and they are read back from the file (where they
 * were written first) when their turn comes, as are chunks kept from an interrupted run.
 */
import type { FileHandle } from 'node:fs/promises';
import { createSha256 } from '../hashing/sha256';
import { readRange } from '../localfs/ranges';

/** Early chunks kept in memory at most (more are read back from the file later). */
const PENDING_BYTES_MAX = 64 * 1024 * 1024;

export class ContentHasher {
  private readonly hash = createSha256();
  /** Chunks not hashed yet by offset: their bytes, or their size when they must be read back. */
  private readonly pending = new Map<number, Buffer | number>();
  private pendingBytes = 0;
  private hashedUpTo = 0;
  /** Hashing runs one step at a time (reading back is asynchronous). */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly handle: FileHandle,
    private readonly path: string,
    private readonly pendingBytesMax = PENDING_BYTES_MAX,
  ) {}

  /** A chunk written at `offset`: its plaintext, or only its size when it is to be read from the file. */
  add(offset: number, content: Buffer | number): void {
    const keep = typeof content !== 'number' && this.pendingBytes + content.length <= this.pendingBytesMax;
    this.pending.set(offset, keep ? content : typeof content === 'number' ? content : content.length);
    if (keep) this.pendingBytes += content.length;
    this.queue = this.queue.then(() => this.advance());
    // A failed read back surfaces from digest(); until then it must not count as unhandled.
    this.queue.catch(() => undefined);
  }

  /** The hash of the first `size` bytes, once every chunk up to there was added. */
  async digest(size: number): Promise<string> {
    await this.queue;
    if (this.hashedUpTo !== size) throw new Error(`hashed ${this.hashedUpTo} of ${size} bytes: a chunk was never added`);
    return this.hash.digest('hex');
  }

  private async advance(): Promise<void> {
    for (let next = this.pending.get(this.hashedUpTo); next !== undefined; next = this.pending.get(this.hashedUpTo)) {
      this.pending.delete(this.hashedUpTo);
      const bytes = typeof next === 'number' ? await readRange(this.handle, this.path, this.hashedUpTo, next) : next;
      if (typeof next !== 'number') this.pendingBytes -= next.length;
      this.hash.update(bytes);
      this.hashedUpTo += bytes.length;
    }
  }
}
