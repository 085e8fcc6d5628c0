/**
 * Proof of possession for uploads into someone else's namespace. An editor uploading a revision of a
 * shared file must not gain the owner's other chunks by naming their hashes, and a PUT to the owner's
 * chunk key proves nothing when the owner already has it (S3 answers 412). So a non-owner's chunks go
 * to a key of their own (S3_LAYOUT.stagedKey), where nothing else can be. The tracker verifies a
 * staged object like any chunk; good bytes are then
 *   1. put in place: copied to the owner's chunk key unless a verified chunk is registered there
 *      (the copy is conditional, and whatever lands at the chunk key is registered only by trackChunk
 *      after verifying it),
 *   2. recorded as held by the uploader (domain/entitlement.ts lets the uploader's sessions use it),
 *   3. removed from staging, only now that the bytes exist in the namespace.
 * Bad bytes are deleted and prove nothing. Each step is idempotent and a crash between them leaves
 * the staged object for the next delivery, so duplicated and reordered notifications are harmless.
 */
import { S3_LAYOUT } from '@contract/limits';
import { logger } from '@shared/logger';
import type { ObjectRef } from '@repo/chunk-objects';
import type { HeldChunks } from '@repo/held-chunks';
import { provenChunk, trackChunk, type TrackerDeps } from './tracker';

export interface StagingDeps extends TrackerDeps {
  readonly held: HeldChunks;
}

export type StagedOutcome = 'proven' | 'rejected' | 'gone' | 'not-staged';

/** Tries to put a staged chunk in place before giving up on this delivery (S3 redelivers, or the client asks to verify). */
const PLACE_ATTEMPTS = 3;

export async function trackStagedChunk(deps: StagingDeps, ref: ObjectRef, now = new Date()): Promise<StagedOutcome> {
  const staged = S3_LAYOUT.parseStagedKey(ref.key);
  if (staged === null) {
    logger.warn('ignoring object that is not a staged chunk', { key: ref.key });
    return 'not-staged';
  }
  const proven = await provenChunk(deps.objects, ref, staged.hash);
  if (proven === 'gone' || proven === 'rejected') return proven;
  const { digest } = proven;
  const exact: ObjectRef = { ...ref, versionId: proven.versionId };
  await placeChunk(deps, exact, staged.ownerId, staged.hash, now);
  await deps.held.record(staged.ownerId, staged.uploaderId, { hash: staged.hash, size: digest.size, provenAt: now.toISOString() });
  await deps.objects.remove(exact);
  logger.info('staged chunk proven', { ...exact, size: digest.size });
  return 'proven';
}

/** Makes the owner's namespace hold a verified, registered chunk `hash`, copying the staged version if it must. */
async function placeChunk(deps: StagingDeps, staged: ObjectRef, ownerId: string, hash: string, now: Date): Promise<void> {
  const key = S3_LAYOUT.chunkKey(ownerId, hash);
  for (let attempt = 0; attempt < PLACE_ATTEMPTS; attempt++) {
    if ((await deps.registry.lookup(ownerId, [hash])).has(hash)) return;
    const copied = await deps.objects.copyIfAbsent(staged, key);
    // Verify what is at the chunk key now (the copy, or an object someone else put there first): good
    // bytes get registered, bad ones deleted so the next attempt can copy.
    const outcome = await trackChunk(deps, { bucket: staged.bucket, key, ...(copied === 'taken' ? {} : copied) }, now);
    if (outcome === 'registered' || outcome === 'already-registered') return;
  }
  throw new Error(`could not place staged chunk ${hash} in ${ownerId}'s namespace after ${PLACE_ATTEMPTS} attempts`);
}
