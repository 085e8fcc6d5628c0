import { chunkStream } from '../../../client/src/core/chunking/chunker';
import { memorySource, readPieces } from '../../../client/src/core/io';
import { BufferPool } from '../../../client/src/core/transfer/buffer-pool';
import { seededRandom } from '../../integration/faults/support/plans';
import { wasmSha256 } from '../../support/wasm-sha256';
import { seededBytes } from './support/bytes';

const MiB = 1024 * 1024;

describe('the buffer pool', () => {
  it('lends ranges of one block, lends a range given back again, and makes takers wait, in turn, for a free range that holds them', async () => {
    const pool = new BufferPool(4 * MiB);
    const [a, b, c] = [await pool.take(MiB), await pool.take(2 * MiB), await pool.take(MiB)];
    expect(new Set([a.buffer, b.buffer, c.buffer]).size).toBe(1);
    expect([a.byteOffset, b.byteOffset, c.byteOffset]).toEqual([0, MiB, 3 * MiB]);
    expect(pool.lentBytes).toBe(4 * MiB);

    const order: string[] = [];
    const big = pool.take(2 * MiB).then((v) => (order.push('big'), v));
    const small = pool.take(MiB).then((v) => (order.push('small'), v));
    pool.giveBack(a);
    await Promise.resolve();
    // A mebibyte is free, but the first in line needs two: nobody passes it.
    expect(order).toEqual([]);
    pool.giveBack(c);
    await Promise.resolve();
    expect(order).toEqual([]);
    pool.giveBack(b);
    expect((await big).byteOffset).toBe(0);
    expect((await small).byteOffset).toBe(2 * MiB);
    expect(order).toEqual(['big', 'small']);
    expect((await big).buffer).toBe(a.buffer);
  });

  it('never lends a forgotten range again, and takes a fresh block only when forgotten ranges alone keep a taker out', async () => {
    const pool = new BufferPool(3 * MiB);
    const [a, b, c] = [await pool.take(MiB), await pool.take(MiB), await pool.take(MiB)];
    pool.forget(a);
    pool.giveBack(c);
    // The forgotten first mebibyte stays out; the free third is lent again, from the same block.
    const again = await pool.take(MiB);
    expect([again.buffer, again.byteOffset]).toEqual([c.buffer, 2 * MiB]);
    let fresh: Uint8Array | undefined;
    const waiting = pool.take(2 * MiB).then((v) => (fresh = v));
    pool.giveBack(again);
    await Promise.resolve();
    // Two mebibytes will be free in this block once b comes back: no fresh block yet.
    expect(fresh).toBeUndefined();
    pool.giveBack(b);
    await waiting;
    expect([fresh?.buffer, fresh?.byteOffset]).toEqual([a.buffer, MiB]);
    pool.giveBack(fresh as Uint8Array);
    // Now only the forgotten range is lent and three mebibytes cannot fit beside it: a fresh block.
    const whole = await pool.take(3 * MiB);
    expect(whole.buffer).not.toBe(a.buffer);
    expect(pool.lentBytes).toBe(3 * MiB);
  });

  it('refuses more than the whole pool', async () => {
    await expect(new BufferPool(MiB).take(MiB + 1)).rejects.toThrow(RangeError);
  });

  it('keeps its ranges disjoint and within the block, and serves every taker, under random sizes and orders (seeded)', async () => {
    const seed = Number(process.env.BUFFER_POOL_SEED ?? Math.floor(Math.random() * 2 ** 31));
    const random = seededRandom(seed);
    const max = 48;
    const pool = new BufferPool(max);
    const lent = new Set<Uint8Array>();
    const overlaps = (x: Uint8Array, y: Uint8Array) => x.byteOffset < y.byteOffset + y.length && y.byteOffset < x.byteOffset + x.length;
    let served = 0;
    let wrong = 0;
    const takers: Promise<void>[] = [];
    for (let i = 0; i < 400; i++) {
      takers.push(
        pool.take(1 + Math.floor(random() * 16)).then((view) => {
          if ([...lent].some((other) => overlaps(view, other)) || view.byteOffset + view.length > max) wrong++;
          lent.add(view);
          served++;
        }),
      );
      // Give back a random lent range now and then, as sends finish out of order.
      while (lent.size > 0 && random() < 0.6) {
        const pick = [...lent][Math.floor(random() * lent.size)];
        lent.delete(pick);
        pool.giveBack(pick);
        await Promise.resolve();
      }
    }
    while (served < 400) {
      await new Promise((r) => setImmediate(r));
      for (const view of [...lent]) {
        lent.delete(view);
        pool.giveBack(view);
      }
    }
    await Promise.all(takers);
    for (const view of lent) pool.giveBack(view);
    expect({ seed, wrong, lent: pool.lentBytes }).toEqual({ seed, wrong: 0, lent: 0 });
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
