/**
 * S3 ObjectCreated notifications on the chunk prefix -> verify and register each chunk. Records are
 * handled independently; if any failed unexpectedly the invocation fails after the others are done,
 * so S3's retry runs them again (every step is idempotent).
 */
import type { S3Event } from 'aws-lambda';
import { readConfig } from '@shared/config';
import { createS3Client } from '@shared/aws';
import { logger } from '@shared/logger';
import { ChunkObjects } from '@repo/chunk-objects';
import { metadataRepositories } from '@repo/wiring';
import { trackChunk } from '@domain/tracker';

const config = readConfig('fileTable');
const deps = { objects: new ChunkObjects(createS3Client()), registry: metadataRepositories(config.fileTable).chunks };

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

export const handler = async (event: S3Event): Promise<void> => {
  const results = await Promise.allSettled(
    (event.Records ?? []).map(async (record) => {
      const outcome = await trackChunk(deps, {
        bucket: record.s3.bucket.name,
        key: decodeEventKey(record.s3.object.key),
        ...(record.s3.object.versionId ? { versionId: record.s3.object.versionId } : {}),
      });
      // A version written while the collector deleted the key's old ones: Lambda's retry registers it once that is done.
      if (outcome === 'deferred') throw new Error(`${record.s3.object.key} is being collected; registering it later`);
    }),
  );
  const failures = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  for (const failure of failures) logger.error('chunk tracking failed', failure.reason as Error);
  if (failures.length > 0) throw new Error(`${failures.length} of ${results.length} records failed`);
};
