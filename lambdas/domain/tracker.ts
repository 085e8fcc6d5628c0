/**
 * The chunk tracker's decision for one created object: trust nothing the uploader said, check the
 * bytes. A chunk whose plaintext size is in bounds and whose SHA-256 equals its key is registered;
 * anything else is deleted (that exact version) and logged. Every step is idempotent, so duplicate,
 * late or out-of-order notifications are harmless.
 */
import type { Readable } from 'node:stream';
import { LIMITS, S3_LAYOUT } from '@contract/limits';
import { logger } from '@shared/logger';
import type { ChunkObjects, ObjectRef, OpenedChunk } from '@repo/chunk-objects';
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
export async function verifiedOrRemoved(objects: ChunkObjects, ref: ObjectRef, object: OpenedChunk, hash: string): Promise<Digest | undefined> {
  const verdict = await verify(object.body, object.compression, hash);
  if (verdict.ok) return verdict.digest;
  // Stop reading what is left of a refused object before deleting it.
  object.body.destroy();
  await objects.remove({ ...ref, versionId: ref.versionId ?? object.versionId });
  logger.warn('chunk rejected and deleted', { ...ref, reason: verdict.reason, actualHash: verdict.actualHash });
  return undefined;
}

export async function trackChunk(deps: TrackerDeps, ref: ObjectRef, now = new Date()): Promise<TrackOutcome> {
  const chunk = S3_LAYOUT.parseChunkKey(ref.key);
  if (chunk === null) {
    logger.warn('ignoring object that is not a chunk', { key: ref.key });
    return 'not-a-chunk';
  }
  const object = await deps.objects.open(ref);
  if (object === undefined) {
    logger.info('chunk object no longer exists', { ...ref });
    return 'gone';
  }
  const digest = await verifiedOrRemoved(deps.objects, ref, object, chunk.hash);
  if (digest === undefined) return 'rejected';
  const registered = await deps.registry.register(chunk.ownerId, {
    hash: chunk.hash,
    size: digest.size,
    storedSize: object.storedSize,
    compression: object.compression === 'gzip' ? 'gzip' : 'none',
    registeredAt: now.toISOString(),
  });
  logger.info(registered ? 'chunk registered' : 'chunk was already registered', { ...ref, size: digest.size });
  return registered ? 'registered' : 'already-registered';
}
