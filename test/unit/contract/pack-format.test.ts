/**
 * The pack format and the client's builder: cases first, then a seeded round trip (random blobs,
 * random compression, random limits: every pack parses back to exactly its blobs) and a seeded damage
 * test (random bytes of a pack changed: the parser answers PackFormatError or blobs that still tile the
 * pack exactly, never anything else). TOTE_PACK_SEED=<seed> replays both.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { LIMITS } from '@contract/limits';
import { encodePackIndex, PACK_ENTRY_BYTES, PACK_TRAILER_BYTES, PackFormatError, parsePackIndex, type PackedBlob } from '@contract/pack-format';
import { PackBuilder, type SealedPack } from '../../../client/src/core/packing/pack-builder';
import { nodeSha256 } from '../../../client/src/hashing/sha256';
import { seededBytes } from '../client/support/bytes';

const createSha256 = nodeSha256;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function blobOf(plain: Uint8Array, gzip: boolean) {
  const stored = gzip ? new Uint8Array(gzipSync(plain)) : plain;
  return { hash: sha256(plain), plainLength: plain.length, stored, compression: gzip ? ('gzip' as const) : ('none' as const) };
}

async function packOf(plains: readonly Uint8Array[], gzip = false): Promise<SealedPack> {
  const builder = new PackBuilder({ createSha256 });
  for (const p of plains) builder.add(blobOf(p, gzip));
  return (await builder.seal())!;
}

/** Every parsed blob's bytes decode to plaintext of its hash and length. */
function expectBlobsIntact(bytes: Uint8Array, blobs: readonly PackedBlob[]): void {
  for (const b of blobs) {
    const stored = bytes.subarray(b.offset, b.offset + b.storedLength);
    const plain = b.compression === 'gzip' ? gunzipSync(stored) : stored;
    expect(plain.length).toBe(b.plainLength);
    expect(sha256(plain)).toBe(b.hash);
  }
}

const SEED = Number(process.env.TOTE_PACK_SEED ?? Date.now() % 2 ** 31);
const replayable = async (run: () => Promise<void> | void) => {
  try {
    await run();
  } catch (error) {
    throw new Error(`TOTE_PACK_SEED=${SEED} replays this: ${String(error)}`);
  }
};

describe('pack format', () => {
  it('parses what the builder writes: blobs in order, back to back, index and trailer after them', async () => {
    const plains = [seededBytes(1, 10), seededBytes(2, 4096), Buffer.from('hello')];
    const pack = await packOf(plains);

    expect(pack.bytes.length).toBe(10 + 4096 + 5 + 3 * PACK_ENTRY_BYTES + PACK_TRAILER_BYTES);
    expect(pack.hash).toBe(sha256(pack.bytes));
    expect(parsePackIndex(pack.bytes)).toEqual(pack.blobs);
    expect(pack.blobs.map((b) => b.offset)).toEqual([0, 10, 4106]);
    expectBlobsIntact(pack.bytes, pack.blobs);
  });

  it('keeps each blob compressed on its own, so one can be read alone', async () => {
    const text = Buffer.from('a line of text that repeats\n'.repeat(200));
    const pack = await packOf([text, Buffer.from('another text, repeated '.repeat(100))], true);
    const [first] = parsePackIndex(pack.bytes);

    expect(first.compression).toBe('gzip');
    expect(first.storedLength).toBeLessThan(text.length / 4);
    expect(gunzipSync(pack.bytes.subarray(first.offset, first.offset + first.storedLength)).equals(text)).toBe(true);
  });

  const malformed: [string, (pack: Uint8Array) => Uint8Array][] = [
    ['no trailer magic', (p) => p.map((b, i) => (i === p.length - 1 ? b ^ 1 : b))],
    ['shorter than a trailer', (p) => p.subarray(p.length - 4)],
    ['a blob byte missing', (p) => p.subarray(1)],
    ['a byte too many', (p) => new Uint8Array([0, ...p])],
    ['a count of zero', (p) => withUint32(p, p.length - 8, 0)],
    ['a count larger than the pack', (p) => withUint32(p, p.length - 8, 900)],
    ['stored lengths that do not add up', (p) => withUint32(p, p.length - 8 - 2 * PACK_ENTRY_BYTES + 32, 11)],
    ['an unknown compression code', (p) => p.map((b, i) => (i === p.length - 8 - PACK_ENTRY_BYTES + 40 ? 7 : b))],
  ];
  it.each(malformed)('refuses a pack with %s', async (_, damage) => {
    const pack = await packOf([seededBytes(3, 10), seededBytes(4, 20)]);
    expect(() => parsePackIndex(damage(pack.bytes))).toThrow(PackFormatError);
  });

  it('refuses a hash listed twice and a blob over the limit', () => {
    const blob = seededBytes(5, 8);
    const entry = { hash: sha256(blob), storedLength: 8, plainLength: 8, compression: 'none' as const };
    expect(() => parsePackIndex(new Uint8Array([...blob, ...blob, ...encodePackIndex([entry, entry])]))).toThrow(/repeats hash/);
    const big = { ...entry, storedLength: 1, plainLength: LIMITS.packBlobMaxBytes + 1, compression: 'gzip' as const };
    expect(() => parsePackIndex(new Uint8Array([1, ...encodePackIndex([big])]))).toThrow(/plaintext bytes/);
  });

  it('seals when the target size or blob count is reached, and never takes a hash twice in a pack', async () => {
    const builder = new PackBuilder({ createSha256, targetBytes: 100, maxBlobs: 3 });
    builder.add(blobOf(seededBytes(6, 60), false));
    expect(builder.full).toBe(false);
    expect(() => builder.add(blobOf(seededBytes(6, 60), false))).toThrow(/already/);
    builder.add(blobOf(seededBytes(7, 60), false));
    expect(builder.full).toBe(true);
    expect((await builder.seal())!.blobs).toHaveLength(2);
    expect(builder.count).toBe(0);
    expect(await builder.seal()).toBeUndefined();
  });

  it('round-trips random blobs through random packs (seeded)', () =>
    replayable(() =>
      fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ size: fc.integer({ min: 1, max: 3000 }), gzip: fc.boolean(), text: fc.boolean() }), { minLength: 1, maxLength: 40 }),
          fc.integer({ min: 1, max: 20_000 }),
          fc.integer({ min: 1, max: 12 }),
          async (specs, targetBytes, maxBlobs) => {
            const builder = new PackBuilder({ createSha256, targetBytes, maxBlobs });
            const packs: SealedPack[] = [];
            const wanted = new Map<string, Uint8Array>();
            for (const [i, s] of specs.entries()) {
              const plain = s.text ? Buffer.from('x'.repeat(s.size)) : seededBytes(SEED + i, s.size);
              wanted.set(sha256(plain), plain);
              if (builder.has(sha256(plain))) continue;
              builder.add(blobOf(plain, s.gzip));
              if (builder.full) packs.push((await builder.seal())!);
            }
            const last = await builder.seal();
            if (last) packs.push(last);
            const found = new Set<string>();
            for (const pack of packs) {
              expect(pack.blobs.length).toBeLessThanOrEqual(maxBlobs);
              expect(parsePackIndex(pack.bytes)).toEqual(pack.blobs);
              expectBlobsIntact(pack.bytes, pack.blobs);
              for (const b of pack.blobs) found.add(b.hash);
            }
            // Every distinct blob is in some pack (a hash may recur across packs, never within one).
            expect([...wanted.keys()].every((h) => found.has(h))).toBe(true);
          },
        ),
        { seed: SEED, numRuns: 60 },
      ),
    ));

  it('answers damaged packs with PackFormatError or blobs that tile the pack (seeded)', () =>
    replayable(async () => {
      const pack = await packOf([seededBytes(SEED, 50), seededBytes(SEED + 1, 30), Buffer.from('zz'.repeat(40))], true);
      fc.assert(
        fc.property(fc.array(fc.record({ at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 4 }), fc.nat(200), (edits, cut) => {
          const damaged = pack.bytes.slice(0, Math.max(0, pack.bytes.length - (cut % 3 === 0 ? cut : 0)));
          for (const e of edits) if (damaged.length > 0) damaged[e.at % damaged.length] = e.value;
          let blobs: PackedBlob[];
          try {
            blobs = parsePackIndex(damaged);
          } catch (error) {
            expect(error).toBeInstanceOf(PackFormatError);
            return;
          }
          const indexStart = damaged.length - PACK_TRAILER_BYTES - blobs.length * PACK_ENTRY_BYTES;
          expect(blobs.reduce((sum, b) => sum + b.storedLength, 0)).toBe(indexStart);
          blobs.forEach((b, i) => expect(b.offset).toBe(i === 0 ? 0 : blobs[i - 1].offset + blobs[i - 1].storedLength));
        }),
        { seed: SEED, numRuns: 300 },
      );
    }));
});

function withUint32(pack: Uint8Array, at: number, value: number): Uint8Array {
  const copy = pack.slice();
  new DataView(copy.buffer).setUint32(at, value, true);
  return copy;
}
