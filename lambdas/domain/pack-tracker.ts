/**
 * The tracker's decision for a created pack object (lambdas/README.md, "Packs"): all or nothing.
 * The pack is read once (never past LIMITS.packMaxBytes), its SHA-256 checked against its key, its
 * index parsed (contract/pack-format.ts), and every blob decoded and hashed against its entry. Only
 * when every check holds is the pack registered (its own entry, which the collector's deletion of
 * packs goes by) and then its blobs, each as a chunk that names its place in the pack (never over an
 * existing entry: a blob registered before keeps its first location). One failure
 * rejects the pack whole: no blob of it is registered, that exact version is deleted, and the reason is
 * recorded for the commit to answer. Registration is idempotent, so duplicate and late notifications
 * are harmless.
 */
import { createHash } from 'node:crypto';
import { Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { gunzipSync } from 'node:zlib';
import { LIMITS, S3_LAYOUT } from '@contract/limits';
import { PackFormatError, parsePackIndex, type PackedBlob } from '@contract/pack-format';
import { logger } from '@shared/logger';
import type { ObjectRef } from '@repo/chunk-objects';
import type { RejectedPacks } from '@repo/rejected-packs';
import type { TrackerDeps } from './tracker';

export interface PackTrackerDeps extends TrackerDeps {
  readonly rejectedPacks: RejectedPacks;
}

/** `deferred`: the collector is deleting the pack, or the entry of some blob, right now; track the pack again later. */
export type PackOutcome = 'registered' | 'deferred' | 'rejected' | 'gone' | 'not-a-pack';

class PackRejection extends Error {}

export async function trackPack(deps: PackTrackerDeps, ref: ObjectRef, now = new Date()): Promise<PackOutcome> {
  const pack = S3_LAYOUT.parsePackKey(ref.key);
  if (pack === null) {
    logger.warn('ignoring object that is not a pack', { key: ref.key });
    return 'not-a-pack';
  }
  const object = await deps.objects.open(ref);
  if (object === undefined) {
    logger.info('pack object no longer exists', { ...ref });
    return 'gone';
  }
  const exact: ObjectRef = { ...ref, versionId: ref.versionId ?? object.versionId };
  let blobs: PackedBlob[];
  try {
    blobs = verifiedBlobs(await readBounded(object.body), pack.hash);
  } catch (error) {
    if (!(error instanceof PackRejection || error instanceof PackFormatError)) throw error;
    object.body.destroy();
    await deps.objects.remove(exact);
    await deps.rejectedPacks.record(pack.ownerId, pack.hash, error.message, now);
    logger.warn('pack rejected and deleted', { ...exact, reason: error.message });
    return 'rejected';
  }
  // The pack's own entry first, stamped now: the collector keeps a pack stamped within its grace
  // period, so the blobs registered next (which keep it from then on) never name a pack it deletes.
  if (!(await deps.registry.relyOnPack(pack.ownerId, pack.hash, now))) {
    logger.info('pack is being collected; tracking it later', { ...exact });
    return 'deferred';
  }
  const registrations = await deps.registry.registerMany(
    pack.ownerId,
    blobs.map((b) => ({
      hash: b.hash,
      size: b.plainLength,
      storedSize: b.storedLength,
      compression: b.compression,
      registeredAt: now.toISOString(),
      pack: { hash: pack.hash, offset: b.offset },
    })),
  );
  const fresh = registrations.filter((r) => r === 'registered').length;
  logger.info('pack registered', { ...exact, blobs: blobs.length, fresh });
  return registrations.includes('deleting') ? 'deferred' : 'registered';
}

/** The pack's blobs, each proven to be its entry's plaintext; throws PackRejection or PackFormatError for anything else. */
function verifiedBlobs(bytes: Buffer, packHash: string): PackedBlob[] {
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== packHash) throw new PackRejection(`pack hash ${actual} differs from its key`);
  const blobs = parsePackIndex(bytes);
  for (const [i, blob] of blobs.entries()) {
    const stored = bytes.subarray(blob.offset, blob.offset + blob.storedLength);
    const plain = blob.compression === 'gzip' ? gunzipBounded(stored, blob.plainLength, i) : stored;
    if (plain.length !== blob.plainLength) throw new PackRejection(`blob ${i} holds ${plain.length} bytes, not ${blob.plainLength}`);
    const hash = createHash('sha256').update(plain).digest('hex');
    if (hash !== blob.hash) throw new PackRejection(`blob ${i} content hash ${hash} differs from its index entry ${blob.hash}`);
  }
  return blobs;
}

function gunzipBounded(stored: Buffer, plainLength: number, i: number): Buffer {
  try {
    // One byte past the promise is enough to tell a blob that says too little from one that holds it.
    return gunzipSync(stored, { maxOutputLength: plainLength + 1 });
  } catch (error) {
    throw new PackRejection(`blob ${i} is not valid gzip of at most ${plainLength} bytes: ${(error as Error).message}`);
  }
}

/** The whole object, refusing (PackRejection) one larger than a pack may be without reading it to its end. */
async function readBounded(body: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(piece: Buffer, _encoding, done) {
      size += piece.length;
      if (size > LIMITS.packMaxBytes) return done(new PackRejection(`pack is larger than ${LIMITS.packMaxBytes} bytes`));
      parts.push(piece);
      done();
    },
  });
  await pipeline(body, sink);
  return Buffer.concat(parts, size);
}
