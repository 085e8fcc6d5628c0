/**
 * Memory for chunk bytes on their way to storage: one block of `maxBytes`, allocated once, from which
 * each chunk borrows a contiguous range (the first free one that holds it) and gives it back when
 * storage has it. A runtime frees a dropped buffer only at its next garbage collection, and V8 starts
 * one for outside memory only after tens of megabytes more have been allocated: buffers allocated (or
 * let go) per chunk left as much garbage again as the bytes in flight. Ranges of one block leave none,
 * so what the pool holds is what it is sized to, whatever the chunks' sizes. A borrower waits, in
 * turn, until a free range holds its chunk; when nothing is lent the whole block is free, so every
 * chunk up to `maxBytes` gets its turn. A range a failed request may still read is never lent again;
 * only when such ranges alone keep the next chunk out is the block let go for a fresh one.
 */

interface Range {
  start: number;
  end: number;
}

/** One block of memory and its free ranges (in order, never touching: freed neighbours are merged). */
class Block {
  readonly memory: Uint8Array;
  private readonly free: Range[];
  lentBytes = 0;
  /** Lent bytes that are never to come back (requests that failed midway may still read them). */
  forgottenBytes = 0;

  constructor(size: number) {
    this.memory = new Uint8Array(size);
    this.free = [{ start: 0, end: size }];
  }

  /** `bytes` bytes from the first free range that holds them, or nothing when none does. */
  lend(bytes: number): Uint8Array | undefined {
    const i = this.free.findIndex((r) => r.end - r.start >= bytes);
    if (i < 0) return undefined;
    const range = this.free[i];
    const start = range.start;
    range.start += bytes;
    if (range.start === range.end) this.free.splice(i, 1);
    this.lentBytes += bytes;
    return this.memory.subarray(start, start + bytes);
  }

  /** Takes back a range it lent. */
  takeBack(view: Uint8Array): void {
    const start = view.byteOffset;
    const end = start + view.length;
    this.lentBytes -= view.length;
    let i = this.free.findIndex((r) => r.start >= end);
    if (i < 0) i = this.free.length;
    const before = this.free[i - 1];
    const after = this.free[i];
    if (before && before.end === start && after && after.start === end) {
      before.end = after.end;
      this.free.splice(i, 1);
    } else if (before && before.end === start) before.end = end;
    else if (after && after.start === end) after.start = start;
    else this.free.splice(i, 0, { start, end });
  }
}

export class BufferPool {
  /** Where ranges are lent from; replaced (the old one left to the garbage collector) once forgotten ranges alone keep a chunk out. */
  private block?: Block;
  private readonly waiting: { readonly bytes: number; readonly grant: (view: Uint8Array) => void }[] = [];

  constructor(readonly maxBytes: number) {}

  /** Bytes lent out of the current block, forgotten ones included. */
  get lentBytes(): number {
    return this.block?.lentBytes ?? 0;
  }

  /** `bytes` bytes to fill, a range of the pool's memory (waits, in turn, until a free range holds them). */
  take(bytes: number): Promise<Uint8Array> {
    if (bytes > this.maxBytes) return Promise.reject(new RangeError(`${bytes} bytes asked of a buffer pool of ${this.maxBytes}`));
    const view = this.waiting.length === 0 ? this.lend(bytes) : undefined;
    if (view) return Promise.resolve(view);
    return new Promise((grant) => this.waiting.push({ bytes, grant }));
  }

  /** A range from {@link take} nothing uses any more: lent again. */
  giveBack(view: Uint8Array): void {
    if (this.block && view.buffer === this.block.memory.buffer) this.block.takeBack(view);
    this.wake();
  }

  /**
   * A range from {@link take} that something may still read (a request that failed midway): never
   * lent again. Letting go of the whole block for it would cost a block per failure.
   */
  forget(view: Uint8Array): void {
    if (this.block && view.buffer === this.block.memory.buffer) this.block.forgottenBytes += view.length;
    this.wake();
  }

  private lend(bytes: number): Uint8Array | undefined {
    this.block ??= new Block(this.maxBytes);
    const view = this.block.lend(bytes);
    if (view || this.block.lentBytes > this.block.forgottenBytes) return view;
    // Nothing will come back to make room: a fresh block (the old one goes with its last reader).
    this.block = new Block(this.maxBytes);
    return this.block.lend(bytes);
  }

  private wake(): void {
    while (this.waiting.length > 0) {
      const view = this.lend(this.waiting[0].bytes);
      if (!view) return;
      (this.waiting.shift() as (typeof this.waiting)[number]).grant(view);
    }
  }
}
