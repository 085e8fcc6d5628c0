/**
 * The chunk tracker registers a chunk some time after storage accepted it (S3 notifies it once the
 * PUT has answered), so a commit right after the last PUT often finds chunks stored but unregistered.
 * That is the service's lag, not the client's fault: the commit answers 202 pending for them, and
 * 409 CHUNKS_MISSING names only chunks storage does not hold, which the client must send. So a client
 * that sent everything never hears an error (a browser shows every 4xx in its console as one).
 * A chunk that stays unregistered (a lost notification) stays pending; the client, after waiting a
 * while, asks for URLs with `verify` (uploads.ts), which settles it.
 */
import pLimit from 'p-limit';
import type { CommitPending, FileMetadata } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { chunksMissing, isApiError, type ApiError } from '@shared/errors';
import type { ChunkObjects } from '@repo/chunk-objects';
import type { UploadSessions } from '@repo/sessions';
import { authorizeSession } from './access';
import { putKeyFor, sessionUploader } from './uploads';

export interface PendingDeps {
  readonly sessions: UploadSessions;
  readonly objects: ChunkObjects;
  readonly bucket: string;
}

/** When to ask again: the tracker registers a chunk within a few hundred ms of its PUT. */
export const COMMIT_RETRY_AFTER_MS = 500;

/** Keys looked up at once (a HEAD each; only chunks the registry lacks, usually the last few sent). */
const HEAD_CONCURRENCY = 8;

/** Runs `commit` (of session `uploadId`); chunks it finds unregistered make it pending if storage holds them all. */
export async function commitOrPending(
  deps: PendingDeps,
  caller: Caller,
  uploadId: string,
  commit: () => Promise<FileMetadata>,
): Promise<FileMetadata | CommitPending> {
  try {
    return await commit();
  } catch (error) {
    if (!isApiError(error) || error.code !== 'CHUNKS_MISSING') throw error;
    return pendingUnlessAbsent(deps, caller, uploadId, error);
  }
}

async function pendingUnlessAbsent(deps: PendingDeps, caller: Caller, uploadId: string, missing: ApiError): Promise<CommitPending> {
  const listed = (missing.details?.missing ?? []) as string[];
  // Past the thousand listed nothing was looked at: a client that far behind has not sent its chunks.
  if (listed.length !== missing.details?.missingCount) throw missing;
  // The keys this uploader's PUTs went to (an editor's are its staging keys), as the open or closed session says.
  const uploader = sessionUploader(authorizeSession(caller, await deps.sessions.get(uploadId), uploadId));
  const limit = pLimit(HEAD_CONCURRENCY);
  const stored = await Promise.all(listed.map((hash) => limit(() => deps.objects.exists(deps.bucket, putKeyFor(uploader, hash)))));
  const absent = listed.filter((_, i) => !stored[i]);
  if (absent.length > 0) throw chunksMissing(absent, absent.length);
  return { status: 'pending', pending: listed, pendingCount: listed.length, retryAfterMs: COMMIT_RETRY_AFTER_MS };
}
