import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { contentHashOf, EMPTY_CONTENT_HASH } from '@contract/content-hash';
import { chunkStream, type ChunkInfo } from '../../../client/src/core/chunking/chunker';
import { GEAR } from '../../../client/src/core/chunking/gear';
import { buildManifest } from '../../../client/src/core/chunking/manifest';
import { cutterFor, DEFAULT_CHUNKING, type ChunkingParams } from '../../../client/src/core/chunking/params';
import type { Sha256Factory } from '../../../client/src/core/hashing/sha256';
import { nodeSha256 } from '../../../client/src/hashing/sha256';
import { wasmSha256 } from '../../support/wasm-sha256';
import { seededBytes } from './support/bytes';

/** Small bounds with the same shape as the real ones (1:4:16), so properties run fast on small inputs. */
const SMALL: ChunkingParams = { minBytes: 64, avgBytes: 256, maxBytes: 1024 };
const MiB = 1024 * 1024;

async function* pieces(data: Buffer, cuts: number[] = []): AsyncGenerator<Buffer> {
  let from = 0;
  for (const cut of [...cuts].sort((a, b) => a - b)) {
    if (cut <= from || cut >= data.length) continue;
    yield data.subarray(from, cut);
    from = cut;
  }
  yield data.subarray(from);
}

async function chunksOf(data: Buffer, params: ChunkingParams = DEFAULT_CHUNKING, cuts: number[] = [], createSha256: Sha256Factory = nodeSha256): Promise<ChunkInfo[]> {
  const out: ChunkInfo[] = [];
  for await (const c of chunkStream(pieces(data, cuts), { params, createSha256 })) out.push(c);
  return out;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** The chunks tile the input exactly, each hash is right, and each size is within bounds (the last may be short). */
function expectWellFormed(data: Buffer, chunks: ChunkInfo[], params: ChunkingParams): void {
  let offset = 0;
  chunks.forEach((c, i) => {
    expect(c.index).toBe(i);
    expect(c.offset).toBe(offset);
    expect(c.size).toBeLessThanOrEqual(params.maxBytes);
    if (i < chunks.length - 1) expect(c.size).toBeGreaterThanOrEqual(params.minBytes);
    else expect(c.size).toBeGreaterThanOrEqual(1);
    expect(c.hash).toBe(sha(data.subarray(c.offset, c.offset + c.size)));
    offset += c.size;
  });
  expect(offset).toBe(data.length);
}


describe('the gear table', () => {
  it('is SHA-256 of its label and byte value, as written down (a different table is a format change)', () => {
    const derived = Array.from({ length: 256 }, (_, i) => createHash('sha256').update(`tote-gear-v1:${i}`).digest().readUInt32BE(0));
    expect(Array.from(GEAR)).toEqual(derived);
  });
});

describe.each([
  ['node:crypto', nodeSha256],
  ['hash-wasm (WebAssembly, as in a browser)', wasmSha256],
])('chunks hashed with %s', (_name, createSha256) => {
  it('are the same chunks, with the bytes kept when asked for', async () => {
    const data = seededBytes(21, 9 * MiB + 77);
    const kept: { hash: string; bytes?: Uint8Array }[] = [];
    for await (const c of chunkStream(pieces(data, [5, MiB, 3 * MiB + 1]), { createSha256, keepBytes: true })) kept.push(c);
    expectWellFormed(data, await chunksOf(data, DEFAULT_CHUNKING, [], createSha256), DEFAULT_CHUNKING);
    expect(kept.map((c) => c.hash)).toEqual((await chunksOf(data)).map((c) => c.hash));
    for (const c of kept) expect(sha(c.bytes as Uint8Array)).toBe(c.hash);
  });

  it('make a manifest whose content hash is taken over the chunk digests', async () => {
    const data = seededBytes(22, 64 * 1024);
    const manifest = await buildManifest(pieces(data, [1000]), { createSha256, params: SMALL });
    expect(manifest.contentHash).toBe(await contentHashOf(manifest.chunks.map((c) => c.hash)));
    expect(manifest.contentHash).not.toBe(sha(data));
  });
});

describe('chunk boundaries', () => {
  it('yields no chunks for empty input, and the manifest of zero bytes', async () => {
    expect(await chunksOf(Buffer.alloc(0))).toEqual([]);
    expect(await buildManifest(pieces(Buffer.alloc(0)), { createSha256: nodeSha256 })).toEqual({ size: 0, contentHash: EMPTY_CONTENT_HASH, chunks: [] });
  });

  it('makes one chunk of one byte', async () => {
    const data = Buffer.from([0x2a]);
    expect(await chunksOf(data)).toEqual([{ index: 0, offset: 0, size: 1, hash: sha(data) }]);
  });

  it.each([
    ['min', DEFAULT_CHUNKING.minBytes],
    ['avg', DEFAULT_CHUNKING.avgBytes],
    ['max', DEFAULT_CHUNKING.maxBytes],
    ['2 x max', 2 * DEFAULT_CHUNKING.maxBytes],
    ['max + 1', DEFAULT_CHUNKING.maxBytes + 1],
    ['min - 1', DEFAULT_CHUNKING.minBytes - 1],
  ])('tiles random input of exactly %s bytes within the bounds', async (_name, length) => {
    const data = seededBytes(length, length);
    expectWellFormed(data, await chunksOf(data), DEFAULT_CHUNKING);
  });

  it.each([
    [DEFAULT_CHUNKING.maxBytes, [DEFAULT_CHUNKING.maxBytes]],
    [2 * DEFAULT_CHUNKING.maxBytes, [DEFAULT_CHUNKING.maxBytes, DEFAULT_CHUNKING.maxBytes]],
    [DEFAULT_CHUNKING.maxBytes + 1, [DEFAULT_CHUNKING.maxBytes, 1]],
  ])('cuts content without cut points (zeros) of %i bytes at the maximum: %j', async (length, sizes) => {
    const chunks = await chunksOf(Buffer.alloc(length));
    expect(chunks.map((c) => c.size)).toEqual(sizes);
  });

  it('keeps the chunks after an insertion near the start (real bounds, 48 MiB)', async () => {
    const original = seededBytes(7, 48 * MiB);
    const edited = Buffer.concat([original.subarray(0, 3 * MiB), Buffer.from('inserted text'), original.subarray(3 * MiB)]);
    const before = await chunksOf(original);
    const after = new Set((await chunksOf(edited)).map((c) => c.hash));
    const later = before.filter((c) => c.offset > 3 * MiB);
    const kept = later.filter((c) => after.has(c.hash));
    // Only the chunk holding the insertion (and at most the one after, while cuts resynchronize) change.
    expect(later.length).toBeGreaterThan(5);
    expect(later.length - kept.length).toBeLessThanOrEqual(2);
  });

  it('averages about 4 MiB on random data', async () => {
    const data = seededBytes(11, 64 * MiB);
    const chunks = await chunksOf(data);
    const mean = data.length / chunks.length;
    expect(mean).toBeGreaterThan(2.5 * MiB);
    expect(mean).toBeLessThan(7 * MiB);
  });
});

describe('chunking properties (small bounds)', () => {
  const bytes = fc.uint8Array({ minLength: 0, maxLength: 8192 }).map((a) => Buffer.from(a));
  /** Low-entropy data too: repeated short patterns are where content cuts are rarest. */
  const repetitive = fc
    .tuple(fc.uint8Array({ minLength: 1, maxLength: 7 }), fc.integer({ min: 0, max: 4000 }))
    .map(([pattern, repeats]) => Buffer.concat(Array.from({ length: repeats }, () => Buffer.from(pattern))));
  const data = fc.oneof(bytes, repetitive);

  it('tiles the input with every chunk within [min, max] except a short last one', async () => {
    await fc.assert(
      fc.asyncProperty(data, async (input) => {
        expectWellFormed(input, await chunksOf(input, SMALL), SMALL);
      }),
    );
  });

  it('is deterministic and independent of how the input is split into buffers', async () => {
    await fc.assert(
      fc.asyncProperty(data, fc.array(fc.nat(), { maxLength: 20 }), async (input, rawCuts) => {
        const cuts = rawCuts.map((n) => (input.length === 0 ? 0 : n % input.length));
        const whole = await chunksOf(input, SMALL);
        expect(await chunksOf(input, SMALL)).toEqual(whole);
        expect(await chunksOf(input, SMALL, cuts)).toEqual(whole);
      }),
    );
  });

  it('keeps most chunks after an insertion', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.uint8Array({ minLength: 1, maxLength: 100 }),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        async (seed, inserted, where) => {
          // Long enough that the chunks after the edit number in the hundreds: a boundary shift can take
          // a few kilobytes to die out (16 chunks once, after one byte inserted at 0), a tenth of 32 KiB's.
          const original = seededBytes(seed, 256 * 1024);
          const at = Math.floor(where * original.length);
          const edited = Buffer.concat([original.subarray(0, at), Buffer.from(inserted), original.subarray(at)]);
          const after = new Set((await chunksOf(edited, SMALL)).map((c) => c.hash));
          const later = (await chunksOf(original, SMALL)).filter((c) => c.offset >= at + SMALL.maxBytes);
          const kept = later.filter((c) => after.has(c.hash)).length;
          expect(kept / later.length).toBeGreaterThanOrEqual(0.9);
        },
      ),
    );
  });

  it('reports every byte to the progress counter', async () => {
    const input = seededBytes(3, 5000);
    let counted = 0;
    for await (const _ of chunkStream(pieces(input, [100, 2000]), { createSha256: nodeSha256, params: SMALL, onBytes: (n) => (counted += n) })) void _;
    expect(counted).toBe(input.length);
  });

  it('builds a manifest of the whole input', async () => {
    const input = seededBytes(4, 10_000);
    const manifest = await buildManifest(pieces(input, [17, 4000]), { createSha256: nodeSha256, params: SMALL });
    expect(manifest.size).toBe(input.length);
    expect(manifest.chunks).toEqual(await chunksOf(input, SMALL));
  });
});

describe('chunking bounds', () => {
  it.each([
    [{ minBytes: 0, avgBytes: 256, maxBytes: 1024 }],
    [{ minBytes: 256, avgBytes: 256, maxBytes: 1024 }],
    [{ minBytes: 64, avgBytes: 2048, maxBytes: 1024 }],
    [{ minBytes: 1.5, avgBytes: 256, maxBytes: 1024 }],
  ])('rejects %j', (params) => {
    expect(() => cutterFor(params)).toThrow(RangeError);
  });

  it('derives a stricter mask before the average and a looser one after', () => {
    const cutter = cutterFor(DEFAULT_CHUNKING);
    const bits = (m: number) => (m >>> 0).toString(2).replace(/0/g, '').length;
    expect(bits(cutter.maskSmall)).toBe(24);
    expect(bits(cutter.maskLarge)).toBe(20);
  });
});
