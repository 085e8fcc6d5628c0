/**
 * S3 ObjectCreated notifications on the chunk, staging and pack prefixes -> verify and register each chunk
 * (a staged one is also proven and put in place, see domain/staged-chunks.ts; a pack's blobs all or
 * none, see domain/pack-tracker.ts). Records are handled
 * independently; if any failed unexpectedly the invocation fails after the others are done, so S3's
 * retry runs them again (every step is idempotent).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { S3Event } from 'aws-lambda';
import { S3_LAYOUT } from '@contract/limits';
import { readConfig } from '@shared/config';
import { logger } from '@shared/logger';
import { chunkObjects, metadataRepositories } from '@repo/wiring';
import { trackPack } from '@domain/pack-tracker';
import { trackStagedChunk } from '@domain/staged-chunks';
import { trackChunk } from '@domain/tracker';

const config = readConfig('fileTable');
const repositories = metadataRepositories(config.fileTable);
const deps = { objects: chunkObjects(), registry: repositories.chunks, held: repositories.held, rejectedPacks: repositories.rejectedPacks };

/** Which check a created object gets, by its key's prefix. */
function track(ref: { bucket: string; key: string; versionId?: string }) {
  if (ref.key.startsWith(S3_LAYOUT.stagingPrefix)) return trackStagedChunk(deps, ref);
  if (ref.key.startsWith(S3_LAYOUT.packPrefix)) return trackPack(deps, ref);
  return trackChunk(deps, ref);
}

/**
 * S3 event keys are URL-encoded with '+' for spaces (AWS); some S3-compatible stores send them raw.
 * Chunk keys contain neither '+' nor '%', so decoding serves both.
 */
export function decodeEventKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    // Not valid percent-encoding: then it is not one of our keys either, and the tracker will say so.
    return key;
  }
}

async function trackRecords(event: S3Event): Promise<void> {
  const results = await Promise.allSettled(
    (event.Records ?? []).map(async (record) => {
      const ref = {
        bucket: record.s3.bucket.name,
        key: decodeEventKey(record.s3.object.key),
        ...(record.s3.object.versionId ? { versionId: record.s3.object.versionId } : {}),
      };
      const outcome = await track(ref);
      // The collector is deleting the chunk key (or a blob's entry) this very moment: Lambda's retry registers (or places) it once that is done.
      if (outcome === 'deferred') throw new Error(`${ref.key} waits for its chunk key to be collected; tracking it later`);
    }),
  );
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  for (const failure of failures) logger.error('chunk tracking failed', failure.reason as Error);
  if (failures.length > 0) throw new Error(`${failures.length} of ${results.length} records failed`);
}

/** Powertools' Lambda context (request id, cold start) rides on every log line of the invocation. */
export const handler = middy<S3Event, void>().use(injectLambdaContext(logger)).handler(trackRecords);
