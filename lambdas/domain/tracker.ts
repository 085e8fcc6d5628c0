/**
 * The chunk tracker's decision for one created object: trust nothing the uploader said, check the
 * bytes. A chunk whose plaintext size is in bounds and whose SHA-256 equals its key is registered;
 * anything else is deleted (that exact version) and logged. Every step is idempotent, so duplicate,
 * late or out-of-order notifications are harmless.
 *
 * Checking means reading the chunk back, unless the store itself verified the SHA-256 the PUT carried
 * (AWS S3 does for the x-amz-checksum-sha256 signed into every uncompressed chunk's URL): then its
 * stored checksum is the proof and no byte is read twice. A gzip chunk's key names its plaintext,
 * which no store checksum covers, so it is always read back, as is everything on a store that
 * verifies nothing (radosgw 16, s3rver).
 */
import type { Readable } from 'node:stream';
import { LIMITS, S3_LAYOUT } from '@contract/limits';
import { logger } from '@shared/logger';
import type { ChunkObjects, ObjectRef, OpenedChunk, VouchedChunk } from '@repo/chunk-objects';
import type { ChunkRegistry } from '@repo/chunks';
import { DigestError, digestChunk, type Digest } from './chunk-digest';

export interface TrackerDeps {
  readonly objects: ChunkObjects;
  readonly registry: ChunkRegistry;
}

export type TrackOutcome = 'registered' | 'already-registered' | 'rejected' | 'gone' | 'not-a-chunk';

type Verdict = { readonly ok: true; readonly digest: Digest } | { readonly ok: false; readonly reason: string; readonly actualHash?: string };

/** Whether the bytes are what their key promises. */
async function verify(body: Readable, compression: string | undefined, expectedHash: string): Promise<Verdict> {
  if (compression !== undefined && compression !== 'gzip') return { ok: false, reason: `unknown compression "${compression}"` };
  try {
    const digest = await digestChunk(body, compression === 'gzip', LIMITS.chunkMaxBytes);
    if (digest.size === 0) return { ok: false, reason: 'empty chunk' };
    if (digest.hash !== expectedHash) return { ok: false, reason: 'content hash differs from key', actualHash: digest.hash };
    return { ok: true, digest };
  } catch (error) {
    if (error instanceof DigestError) return { ok: false, reason: error.message };
    throw error;
  }
}

/** The bytes of an opened object if they are chunk `hash`; otherwise that version is deleted and logged, and undefined answered. */
async function verifiedOrRemoved(objects: ChunkObjects, ref: ObjectRef, object: OpenedChunk, hash: string): Promise<Digest | undefined> {
  const verdict = await verify(object.body, object.compression, hash);
  if (verdict.ok) return verdict.digest;
  // Stop reading what is left of a refused object before deleting it.
  object.body.destroy();
  await objects.remove({ ...ref, versionId: ref.versionId ?? object.versionId });
  logger.warn('chunk rejected and deleted', { ...ref, reason: verdict.reason, actualHash: verdict.actualHash });
  return undefined;
}

/** A chunk object proven to hold its key's bytes. */
export interface ProvenChunk {
  readonly digest: Digest;
  readonly storedSize: number;
  readonly compression: 'gzip' | 'none';
  /** The exact version proven (absent where the store keeps no versions). */
  readonly versionId?: string;
}

/** An uncompressed, in-bounds object whose store-verified SHA-256 is the key's hash. */
const vouchesFor = (vouched: VouchedChunk, hash: string) =>
  vouched.compression === undefined && vouched.sha256 === hash && vouched.storedSize > 0 && vouched.storedSize <= LIMITS.chunkMaxBytes;

/**
 * Proves that object `ref` holds chunk `hash`: by the store's verified checksum where it has one that
 * matches, otherwise by reading it. Bytes that fail are deleted ('rejected').
 */
export async function provenChunk(objects: ChunkObjects, ref: ObjectRef, hash: string): Promise<ProvenChunk | 'gone' | 'rejected'> {
  const vouched = await objects.vouched(ref);
  if (vouched === 'gone') return 'gone';
  if (vouched !== undefined && vouchesFor(vouched, hash)) {
    return { digest: { hash, size: vouched.storedSize }, storedSize: vouched.storedSize, compression: 'none', versionId: ref.versionId ?? vouched.versionId };
  }
  const object = await objects.open(ref);
  if (object === undefined) return 'gone';
  const digest = await verifiedOrRemoved(objects, ref, object, hash);
  if (digest === undefined) return 'rejected';
  return { digest, storedSize: object.storedSize, compression: object.compression === 'gzip' ? 'gzip' : 'none', versionId: ref.versionId ?? object.versionId };
}

export async function trackChunk(deps: TrackerDeps, ref: ObjectRef, now = new Date()): Promise<TrackOutcome> {
  const chunk = S3_LAYOUT.parseChunkKey(ref.key);
  if (chunk === null) {
    logger.warn('ignoring object that is not a chunk', { key: ref.key });
    return 'not-a-chunk';
  }
  const proven = await provenChunk(deps.objects, ref, chunk.hash);
  if (proven === 'gone') {
    logger.info('chunk object no longer exists', { ...ref });
    return 'gone';
  }
  if (proven === 'rejected') return 'rejected';
  const { digest } = proven;
  const registered = await deps.registry.register(chunk.ownerId, {
    hash: chunk.hash,
    size: digest.size,
    storedSize: proven.storedSize,
    compression: proven.compression,
    registeredAt: now.toISOString(),
  });
  logger.info(registered ? 'chunk registered' : 'chunk was already registered', { ...ref, size: digest.size });
  return registered ? 'registered' : 'already-registered';
}
