import { chunkStream } from '../../../client/src/core/chunking/chunker';
import { memorySource, readPieces } from '../../../client/src/core/io';
import { BufferPool, pooledSize } from '../../../client/src/core/transfer/buffer-pool';
import { wasmSha256 } from '../../support/wasm-sha256';
import { seededBytes } from './support/bytes';

const MiB = 1024 * 1024;

describe('the buffer pool', () => {
  it('rounds sizes up to steps of half a power of two from a mebibyte', () => {
    const sizes = [1, MiB, MiB + 1, 2 * MiB, 2.5 * MiB, 3 * MiB + 1, 5 * MiB, 7 * MiB, 9 * MiB, 16 * MiB - 1];
    expect(sizes.map((n) => pooledSize(n) / MiB)).toEqual([1, 1, 1.5, 2, 3, 4, 6, 8, 12, 16]);
  });

  it('lends a buffer given back again, never one forgotten, and makes takers wait beyond its bound', async () => {
    const pool = new BufferPool(4 * MiB);
    const first = await pool.take(3 * MiB);
    expect(first.length).toBe(3 * MiB);
    pool.giveBack(first);
    const again = await pool.take(2.5 * MiB);
    expect(again.buffer).toBe(first.buffer);
    expect(again.length).toBe(2.5 * MiB);

    let granted = false;
    const waiting = pool.take(2 * MiB).then((b) => ((granted = true), b));
    await Promise.resolve();
    expect(granted).toBe(false);
    pool.forget(again);
    const next = await waiting;
    expect(next.buffer).not.toBe(first.buffer);
    expect(pool.heldBytes).toBe(2 * MiB);
  });

  it('lets free buffers of other sizes go to stay within its bound', async () => {
    const pool = new BufferPool(4 * MiB);
    const small = await Promise.all([pool.take(MiB), pool.take(MiB)]);
    small.forEach((b) => pool.giveBack(b));
    expect(pool.heldBytes).toBe(2 * MiB);
    const big = await pool.take(4 * MiB);
    expect(pool.heldBytes).toBe(4 * MiB);
    pool.giveBack(big);
    const reused = await pool.take(MiB);
    expect(small.some((b) => b.buffer === reused.buffer)).toBe(false);
    expect(pool.heldBytes).toBeLessThanOrEqual(4 * MiB);
  });
});

describe('reading pieces into reused buffers', () => {
  it('alternates two buffers, and chunks cut from them have the heads and hashes of chunks cut from fresh ones', async () => {
    const data = seededBytes(7, 9 * MiB + 123);
    const buffers = new Set<ArrayBufferLike>();
    let bytes = 0;
    for await (const piece of readPieces(memorySource(data), 0, 256 * 1024, undefined, true)) {
      expect(Buffer.from(piece).equals(data.subarray(bytes, bytes + piece.length))).toBe(true);
      buffers.add(piece.buffer);
      bytes += piece.length;
    }
    expect(bytes).toBe(data.length);
    expect(buffers.size).toBe(2);

    const cut = async (reuse: boolean) => {
      const chunks = [];
      for await (const c of chunkStream(readPieces(memorySource(data), 0, 256 * 1024, undefined, reuse), { createSha256: wasmSha256, headBytes: 64 * 1024 })) {
        chunks.push({ hash: c.hash, size: c.size, head: Buffer.from(c.head as Uint8Array).toString('hex') });
      }
      return chunks;
    };
    const reused = await cut(true);
    expect(reused.length).toBeGreaterThan(1);
    expect(reused).toEqual(await cut(false));
  });
});
