/**
 * The hot loop of content-defined chunking: finds where chunks end. Pure and incremental, so input
 * may arrive in buffers of any size and the cuts come out the same.
 *
 * A chunk of length L has bytes at chunk indices 0..L-1. Indices below minBytes-1 are skipped (no
 * cut can happen there, so FastCDC does not even hash them); from there a cut follows the byte
 * whose rolling hash has the mask's bits all zero, with the stricter mask before avgBytes-1 and the
 * looser one after; the byte at index maxBytes-1 always ends the chunk.
 */
import { GEAR } from './gear';
import type { ChunkCutter } from './params';

export class BoundaryScanner {
  private hash = 0;
  /** Bytes of the current chunk consumed so far (across buffers). */
  private length = 0;

  constructor(private readonly cutter: ChunkCutter) {}

  /** Bytes consumed since the last cut: the size of the chunk in progress. */
  get pendingBytes(): number {
    return this.length;
  }

  /**
   * Consumes `buf` from `start` up to the next cut. Returns the index in `buf` just past the
   * chunk's last byte, or -1 when the rest of `buf` was consumed without a cut.
   */
  next(buf: Uint8Array, start: number): number {
    const { minBytes, avgBytes, maxBytes, maskSmall, maskLarge } = this.cutter;
    const gear = GEAR;
    const end = buf.length;
    // buf[i] is at chunk index base + i.
    const base = this.length - start;
    let i = Math.max(start, Math.min(end, minBytes - 1 - base));
    let h = this.hash;

    const smallEnd = Math.min(end, avgBytes - 1 - base);
    for (; i < smallEnd; i++) {
      h = ((h << 1) + gear[buf[i]]) | 0;
      if ((h & maskSmall) === 0) return this.cut(i + 1);
    }
    const largeEnd = Math.min(end, maxBytes - 1 - base);
    for (; i < largeEnd; i++) {
      h = ((h << 1) + gear[buf[i]]) | 0;
      if ((h & maskLarge) === 0) return this.cut(i + 1);
    }
    // Stopped before the end of buf only because the chunk reached maxBytes - 1: buf[i] ends it.
    if (i < end) return this.cut(i + 1);

    this.hash = h;
    this.length = base + end;
    return -1;
  }

  private cut(endIndex: number): number {
    this.hash = 0;
    this.length = 0;
    return endIndex;
  }
}
