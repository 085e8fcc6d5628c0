/**
 * The tracker's all-or-nothing check of a pack (lambdas/domain/pack-tracker.ts), over in-memory
 * stand-ins for the store and the registry: a good pack registers every blob with its place, again
 * harmlessly; one damaged blob, a pack that is not what its key names, or a malformed index register
 * nothing, delete the version and record why; a blob or the pack the collector is deleting defers the pack.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { S3_LAYOUT } from '@contract/limits';
import type { ChunkObjects, ObjectRef } from '@repo/chunk-objects';
import type { ChunkRegistry, Registration } from '@repo/chunks';
import type { ChunkRecord } from '@repo/items';
import type { RejectedPacks } from '@repo/rejected-packs';
import { trackPack } from '@domain/pack-tracker';
import { PackBuilder } from '../../../client/src/core/packing/pack-builder';
import { nodeSha256 } from '../../../client/src/hashing/sha256';

const OWNER = 'owner-1';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function world(deleting: ReadonlySet<string> = new Set()) {
  const stored = new Map<string, Buffer>();
  /** Pack hashes stamped (the pack's own entry), in order. */
  const stamped: string[] = [];
  const removed: ObjectRef[] = [];
  const registry = new Map<string, ChunkRecord>();
  const rejected = new Map<string, string>();
  const objects = {
    open: async (ref: ObjectRef) => {
      const body = stored.get(ref.key);
      return body && { body: Readable.from([body]), storedSize: body.length, compression: undefined, versionId: 'v1' };
    },
    remove: async (ref: ObjectRef) => {
      removed.push(ref);
      stored.delete(ref.key);
    },
  } as unknown as ChunkObjects;
  const register = (record: ChunkRecord): Registration => {
    if (deleting.has(record.hash)) return 'deleting';
    if (registry.has(record.hash)) return 'exists';
    registry.set(record.hash, record);
    return 'registered';
  };
  const chunks = {
    registerMany: async (_owner: string, records: ChunkRecord[]) => records.map(register),
    relyOnPack: async (_owner: string, hash: string) => {
      if (deleting.has(hash)) return false;
      stamped.push(hash);
      return true;
    },
  } as unknown as ChunkRegistry;
  const rejectedPacks = { record: async (_owner: string, hash: string, reason: string) => void rejected.set(hash, reason) } as unknown as RejectedPacks;
  return { deps: { objects, registry: chunks, rejectedPacks }, stored, removed, registry, rejected, stamped };
}

async function packOf(blobs: { plain: Buffer; stored?: Buffer; gzip?: boolean }[]) {
  const builder = new PackBuilder({ createSha256: nodeSha256 });
  for (const b of blobs) {
    const stored = b.stored ?? (b.gzip ? gzipSync(b.plain) : b.plain);
    builder.add({ hash: sha256(b.plain), plainLength: b.plain.length, stored, compression: b.gzip ? 'gzip' : 'none' });
  }
  return (await builder.seal())!;
}

const text = (s: string) => Buffer.from(s.repeat(50));

describe('pack tracker', () => {
  it('registers every blob of a good pack with its pack and offset, and a second delivery changes nothing', async () => {
    // Prepare
    const w = world();
    const pack = await packOf([{ plain: text('a') }, { plain: text('bb'), gzip: true }, { plain: text('c') }]);
    const key = S3_LAYOUT.packKey(OWNER, pack.hash);
    w.stored.set(key, Buffer.from(pack.bytes));

    // Act
    const first = await trackPack(w.deps, { bucket: 'b', key });
    const second = await trackPack(w.deps, { bucket: 'b', key });

    // Assess
    expect([first, second]).toEqual(['registered', 'registered']);
    expect([...w.registry.values()].map((r) => [r.hash, r.size, r.storedSize, r.compression, r.pack])).toEqual(
      pack.blobs.map((b) => [b.hash, b.plainLength, b.storedLength, b.compression, { hash: pack.hash, offset: b.offset }]),
    );
    expect(w.removed).toEqual([]);
    expect(w.stamped).toEqual([pack.hash, pack.hash]);
  });

  const bad: [string, () => Promise<{ key: string; bytes: Uint8Array }>, RegExp][] = [
    [
      'one damaged blob',
      async () => {
        const p = await packOf([{ plain: text('a') }, { plain: text('b'), stored: Buffer.from(text('b')).fill(0x41, 0, 1) }, { plain: text('c') }]);
        return { key: S3_LAYOUT.packKey(OWNER, p.hash), bytes: p.bytes };
      },
      /blob 1 content hash/,
    ],
    [
      'a gzip blob that inflates past its length',
      async () => {
        const p = await packOf([{ plain: text('a') }, { plain: text('b'), stored: gzipSync(text('bb')), gzip: true }]);
        return { key: S3_LAYOUT.packKey(OWNER, p.hash), bytes: p.bytes };
      },
      /blob 1/,
    ],
    [
      'bytes that are not what the key names',
      async () => {
        const p = await packOf([{ plain: text('a') }]);
        return { key: S3_LAYOUT.packKey(OWNER, sha256(Buffer.from('other'))), bytes: p.bytes };
      },
      /differs from its key/,
    ],
    [
      'a malformed index',
      async () => {
        const bytes = Buffer.from('not a pack at all');
        return { key: S3_LAYOUT.packKey(OWNER, sha256(bytes)), bytes };
      },
      /TPK1/,
    ],
  ];
  it.each(bad)('refuses a pack with %s whole: nothing registered, the version deleted, the reason kept', async (_, make, reason) => {
    // Prepare
    const w = world();
    const { key, bytes } = await make();
    w.stored.set(key, Buffer.from(bytes));

    // Act
    const outcome = await trackPack(w.deps, { bucket: 'b', key });

    // Assess
    expect(outcome).toBe('rejected');
    expect(w.registry.size).toBe(0);
    expect(w.stamped).toEqual([]);
    expect(w.removed).toEqual([{ bucket: 'b', key, versionId: 'v1' }]);
    expect([...w.rejected.values()][0]).toMatch(reason);
  });

  it('defers a pack while the collector deletes the entry of one of its blobs, and registers the rest', async () => {
    // Prepare
    const pack = await packOf([{ plain: text('a') }, { plain: text('b') }]);
    const w = world(new Set([pack.blobs[1].hash]));
    const key = S3_LAYOUT.packKey(OWNER, pack.hash);
    w.stored.set(key, Buffer.from(pack.bytes));

    // Act / Assess
    expect(await trackPack(w.deps, { bucket: 'b', key })).toBe('deferred');
    expect([...w.registry.keys()]).toEqual([pack.blobs[0].hash]);
    expect(w.removed).toEqual([]);
  });

  it('defers a pack the collector is deleting: no blob of it is registered, the object is left alone', async () => {
    // Prepare
    const pack = await packOf([{ plain: text('a') }, { plain: text('b') }]);
    const w = world(new Set([pack.hash]));
    const key = S3_LAYOUT.packKey(OWNER, pack.hash);
    w.stored.set(key, Buffer.from(pack.bytes));

    // Act / Assess
    expect(await trackPack(w.deps, { bucket: 'b', key })).toBe('deferred');
    expect(w.registry.size).toBe(0);
    expect(w.removed).toEqual([]);
  });

  it('answers gone for a pack no longer stored, and ignores keys that are not packs', async () => {
    const w = world();
    expect(await trackPack(w.deps, { bucket: 'b', key: S3_LAYOUT.packKey(OWNER, sha256(Buffer.from('x'))) })).toBe('gone');
    expect(await trackPack(w.deps, { bucket: 'b', key: 'packs/nope' })).toBe('not-a-pack');
  });
});
