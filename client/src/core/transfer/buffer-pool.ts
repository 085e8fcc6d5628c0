/**
 * Buffers for chunk bytes, reused instead of allocated afresh for every chunk. A runtime frees a
 * dropped buffer only at its next garbage collection, and V8 starts one for outside memory only after
 * tens of megabytes more have been allocated, whose pages the allocator then often keeps: a transfer
 * that allocates a buffer per chunk holds several times the bytes it has in flight. Pooled buffers
 * come in a few sizes from a mebibyte (a chunk gets the smallest that holds it); the bytes lent out
 * and kept free together stay within `maxBytes` (free buffers of other sizes are let go to make
 * room), and a borrower waits while lending more would pass it.
 */
import { ByteBudget } from './byte-budget';

const MiB = 1024 * 1024;

/**
 * The pooled size for `bytes`: the smallest of 1, 1.5, 2, 3, 4, 6, 8, 12, 16... MiB that holds it.
 * Steps of half a power of two waste at most a third of a buffer, and few sizes keep reuse likely.
 */
export function pooledSize(bytes: number): number {
  let size = MiB;
  while (size < bytes) size = (size & (size - 1)) === 0 ? size * 1.5 : (size * 4) / 3;
  return size;
}

export class BufferPool {
  private readonly lent: ByteBudget;
  private readonly free = new Map<number, Uint8Array[]>();
  private freeBytes = 0;

  constructor(readonly maxBytes: number) {
    this.lent = new ByteBudget(maxBytes);
  }

  /** Bytes held by the pool: lent out and kept free. */
  get heldBytes(): number {
    return this.lent.heldBytes + this.freeBytes;
  }

  /** `bytes` bytes to fill, in a buffer of the pool's (waits while too much is lent out). */
  async take(bytes: number): Promise<Uint8Array> {
    const size = pooledSize(bytes);
    await this.lent.take(size);
    const reused = this.free.get(size)?.pop();
    if (reused) {
      this.freeBytes -= size;
      return reused.subarray(0, bytes);
    }
    this.makeRoom();
    return new Uint8Array(size).subarray(0, bytes);
  }

  /** A buffer from {@link take} nothing uses any more: kept for the next borrower. */
  giveBack(buffer: Uint8Array): void {
    const whole = new Uint8Array(buffer.buffer, 0, buffer.buffer.byteLength);
    const size = whole.length;
    const list = this.free.get(size) ?? [];
    list.push(whole);
    this.free.set(size, list);
    this.freeBytes += size;
    this.lent.giveBack(size);
  }

  /** A buffer from {@link take} that something may still read (a request that failed midway): counted back, never lent again. */
  forget(buffer: Uint8Array): void {
    this.lent.giveBack(buffer.buffer.byteLength);
  }

  /** Lets go of free buffers, largest first, until what is lent (a new buffer included) and kept fits `maxBytes`. */
  private makeRoom(): void {
    const sizes = [...this.free.keys()].sort((a, b) => b - a);
    for (const s of sizes) {
      const list = this.free.get(s) as Uint8Array[];
      while (list.length > 0 && this.lent.heldBytes + this.freeBytes > this.maxBytes) {
        list.pop();
        this.freeBytes -= s;
      }
    }
  }
}
