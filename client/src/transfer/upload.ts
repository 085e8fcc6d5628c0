/**
 * Uploads one local file to a remote path: pass 1 describes the file (chunks + content hash), the
 * service says which chunks it lacks, pass 2 sends only those (never ones this machine already had
 * confirmed, even by a run that was killed), then the commit makes the new revision visible.
 */
import { normalizePath, PathError } from '@contract/paths';
import type { FileMetadata } from '@contract/schemas';
import { lookup as mimeLookup } from 'mime-types';
import { open } from 'node:fs/promises';
import type { ChunkInfo } from '../chunking/chunker';
import { ToteError } from '../errors';
import { onDisk } from '../localfs/errors';
import { ChunkSender } from './chunk-sender';
import { commitUpload } from './committer';
import type { TransferContext } from './context';
import { localManifest } from './local-manifest';
import { UploadUrlPool } from './url-pool';

export interface UploadResult {
  readonly localPath: string;
  readonly remotePath: string;
  readonly file: FileMetadata;
  /** Chunk bytes that travelled to storage in this run. */
  readonly bytesSent: number;
  /** Distinct chunks sent in this run, and the rest: already stored, or confirmed by an earlier run. */
  readonly chunksSent: number;
  readonly chunksSkipped: number;
}

export function remotePathOf(input: string): string {
  try {
    return normalizePath(input);
  } catch (error) {
    if (error instanceof PathError) throw new ToteError('INVALID_PATH', error.message, { subject: input });
    throw error;
  }
}

/**
 * The next revision of an existing file, named by id rather than by a path of the caller's namespace:
 * how an editor uploads to a file someone shared with them. `label` is how events and results name it.
 */
export interface RevisionTarget {
  readonly fileId: string;
  readonly label: string;
}

/** `localPath` must be absolute and name a regular file; `remote` is a path of the caller's namespace or a file by id. */
export async function uploadFile(ctx: TransferContext, localPath: string, remote: string | RevisionTarget): Promise<UploadResult> {
  const remotePath = typeof remote === 'string' ? remotePathOf(remote) : remote.label;
  const handle = await onDisk(localPath, () => open(localPath, 'r'));
  try {
    const manifest = await localManifest(ctx.state.localFiles, ctx.emit, localPath, handle);
    const distinct = new Map<string, ChunkInfo>();
    for (const c of manifest.chunks) if (!distinct.has(c.hash)) distinct.set(c.hash, c);

    const content = {
      size: manifest.size,
      contentHash: manifest.contentHash,
      mimeType: mimeLookup(localPath) || 'application/octet-stream',
      chunks: manifest.chunks.map((c) => ({ hash: c.hash, size: c.size })),
    };
    const start =
      typeof remote === 'string'
        ? await ctx.api.call('startUpload', { body: { path: remotePath, ...content } })
        : await ctx.api.call('startRevisionUpload', { params: { fileId: remote.fileId }, body: content });
    const { uploadId } = start;
    ctx.state.uploads.begin({
      uploadId,
      endpoint: ctx.api.endpoint,
      localPath,
      remotePath,
      size: manifest.size,
      contentHash: manifest.contentHash,
      chunkCount: manifest.chunks.length,
    });
    // Chunks confirmed by an earlier run are not sent again even while the service still lists
    // them (its tracker registers them asynchronously); the commit sorts out any that never arrive.
    const confirmed = ctx.state.uploads.confirmedHashes(uploadId);
    const toSend = [...new Set(start.missing)].filter((h) => !confirmed.has(h));
    ctx.emit({
      type: 'upload.start',
      localPath,
      remotePath,
      uploadId,
      size: manifest.size,
      chunks: distinct.size,
      chunksToSend: toSend.length,
      bytesToSend: toSend.reduce((sum, h) => sum + (distinct.get(h)?.size ?? 0), 0),
    });

    const urls = new UploadUrlPool((hashes) => ctx.api.call('uploadUrls', { params: { uploadId }, body: { hashes } }), {
      order: toSend,
      initial: start.urls,
    });
    const sender = new ChunkSender({
      fetch: ctx.fetch,
      uploadId,
      localPath,
      remotePath,
      handle,
      chunks: distinct,
      urls,
      ledger: ctx.state.uploads,
      emit: ctx.emit,
      concurrency: ctx.concurrency,
      attempts: ctx.attempts,
      sleep: ctx.sleep,
    });
    await sender.sendAll(toSend);

    const file = await commitUpload({
      api: ctx.api,
      uploadId,
      remotePath,
      expectedRevision: start.existing?.revision ?? 0,
      sender,
      ledger: ctx.state.uploads,
      emit: ctx.emit,
      patienceMs: ctx.commitPatienceMs,
      sleep: ctx.sleep,
    });
    ctx.state.uploads.finish(uploadId);
    const result: UploadResult = {
      localPath,
      remotePath,
      file,
      bytesSent: sender.bytesSent,
      chunksSent: sender.chunksSent,
      chunksSkipped: distinct.size - sender.chunksSent,
    };
    ctx.emit({
      type: 'upload.done',
      localPath,
      remotePath,
      fileId: file.fileId,
      revision: file.revision,
      size: file.size,
      bytesSent: result.bytesSent,
      chunksSent: result.chunksSent,
      chunksSkipped: result.chunksSkipped,
    });
    return result;
  } finally {
    await handle.close();
  }
}
