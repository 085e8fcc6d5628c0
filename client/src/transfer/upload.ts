/**
 * Uploads one local file to a remote path: pass 1 describes the file (chunks + content hash), the
 * service says which chunks it lacks, pass 2 sends only those (never ones this machine already had
 * confirmed, even by a run that was killed), then the commit makes the new revision visible.
 */
import { normalizePath, PathError } from '@contract/paths';
import type { Compression, FileMetadata, StartRevisionUploadRequest, StartUploadResponse } from '@contract/schemas';
import { lookup as mimeLookup } from 'mime-types';
import { open, type FileHandle } from 'node:fs/promises';
import type { ChunkInfo } from '../core/chunking/chunker';
import type { Manifest } from '../core/chunking/manifest';
import { ToteError } from '../core/errors';
import { onDisk } from '../localfs/errors';
import { handleIdentity, type FileIdentity } from '../localfs/identity';
import { ChunkSender } from '../core/transfer/chunk-sender';
import { commitUpload } from '../core/transfer/committer';
import type { TransferContext } from './context';
import { localManifest } from './local-manifest';
import { compressionHint } from './compression-hint';
import { UploadUrlPool } from '../core/transfer/url-pool';

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

/** A local file ready to be started: its chunks, what the start request carries, where it goes. */
export interface DescribedFile {
  readonly localPath: string;
  readonly remotePath: string;
  readonly manifest: Manifest;
  /** Where each distinct chunk is in the file. */
  readonly distinct: ReadonlyMap<string, ChunkInfo>;
  readonly content: StartRevisionUploadRequest;
  /** The file's identity when it was described: the chunks are its bytes while this holds. */
  readonly identity: FileIdentity;
}

/** Pass 1 (or the cached manifest) and the start request's content, with the first URLs' compression. */
export async function describeFile(ctx: TransferContext, localPath: string, remotePath: string, handle: FileHandle): Promise<DescribedFile> {
  // Taken before the manifest: a change at any moment after this one moves ctime, so it cannot go unseen.
  const identity = await handleIdentity(handle, localPath);
  const manifest = await localManifest(ctx.state.localFiles, ctx.emit, localPath, handle);
  const distinct = new Map<string, ChunkInfo>();
  for (const c of manifest.chunks) if (!distinct.has(c.hash)) distinct.set(c.hash, c);
  return {
    localPath,
    remotePath,
    manifest,
    distinct,
    identity,
    content: {
      size: manifest.size,
      contentHash: manifest.contentHash,
      mimeType: mimeLookup(localPath) || 'application/octet-stream',
      chunks: manifest.chunks.map((c) => ({ hash: c.hash, size: c.size })),
      // The first URLs are signed for the compression the file's start calls for (its first chunk's sample).
      compression: await compressionHint(handle, localPath, manifest.size),
    },
  };
}

/**
 * Records the started session and reports it; answers the chunks to send. Chunks confirmed by an
 * earlier run are not sent again even while the service still lists them (its tracker registers them
 * asynchronously); the commit sorts out any that never arrive.
 */
export function beginUpload(ctx: TransferContext, file: DescribedFile, start: StartUploadResponse): string[] {
  const { localPath, remotePath, manifest } = file;
  ctx.state.uploads.begin({
    uploadId: start.uploadId,
    endpoint: ctx.api.endpoint,
    localPath,
    remotePath,
    size: manifest.size,
    contentHash: manifest.contentHash,
    chunkCount: manifest.chunks.length,
  });
  const confirmed = ctx.state.uploads.confirmedHashes(start.uploadId);
  const toSend = [...new Set(start.missing)].filter((h) => !confirmed.has(h));
  ctx.emit({
    type: 'upload.start',
    localPath,
    remotePath,
    uploadId: start.uploadId,
    size: manifest.size,
    chunks: file.distinct.size,
    chunksToSend: toSend.length,
    bytesToSend: toSend.reduce((sum, h) => sum + (file.distinct.get(h)?.size ?? 0), 0),
  });
  return toSend;
}

/** The sender of one started upload: URLs from the start's answer first, then asked for in batches. */
export function chunkSender(
  ctx: TransferContext,
  file: DescribedFile,
  start: StartUploadResponse,
  toSend: readonly string[],
  handle: FileHandle,
  concurrency = ctx.concurrency,
): ChunkSender {
  const { uploadId } = start;
  const request = (hashes: string[], compression: Compression, verify: boolean) =>
    ctx.api.call('uploadUrls', { params: { uploadId }, body: { hashes, compression, ...(verify ? { verify } : {}) } });
  const urls = new UploadUrlPool(request, {
    order: toSend,
    initial: start.urls,
    initialCompression: file.content.compression ?? 'none',
  });
  return new ChunkSender({
    fetch: ctx.fetch,
    uploadId,
    localPath: file.localPath,
    remotePath: file.remotePath,
    handle,
    identity: file.identity,
    chunks: file.distinct,
    urls,
    ledger: ctx.state.uploads,
    emit: ctx.emit,
    concurrency,
    attempts: ctx.attempts,
    sleep: ctx.sleep,
  });
}

/** Commits one upload, waiting for the tracker and resending what never arrived (committer.ts). */
export function commitOne(
  ctx: TransferContext,
  file: DescribedFile,
  start: StartUploadResponse,
  sender: ChunkSender,
  expectedRevision = start.existing?.revision ?? 0,
): Promise<FileMetadata> {
  return commitUpload({
    api: ctx.api,
    uploadId: start.uploadId,
    remotePath: file.remotePath,
    expectedRevision,
    sender,
    ledger: ctx.state.uploads,
    emit: ctx.emit,
    patienceMs: ctx.commitPatienceMs,
    sleep: ctx.sleep,
  });
}

/** The upload is committed: forgets its session and reports the outcome. */
export function finishUpload(ctx: TransferContext, file: DescribedFile, uploadId: string, committed: FileMetadata, sent: ChunkSender | undefined): UploadResult {
  ctx.state.uploads.finish(uploadId);
  const chunksSent = sent?.chunksSent ?? 0;
  const result: UploadResult = {
    localPath: file.localPath,
    remotePath: file.remotePath,
    file: committed,
    bytesSent: sent?.bytesSent ?? 0,
    chunksSent,
    chunksSkipped: file.distinct.size - chunksSent,
  };
  ctx.emit({
    type: 'upload.done',
    localPath: file.localPath,
    remotePath: file.remotePath,
    fileId: committed.fileId,
    revision: committed.revision,
    size: committed.size,
    bytesSent: result.bytesSent,
    chunksSent: result.chunksSent,
    chunksSkipped: result.chunksSkipped,
  });
  return result;
}

export interface UploadOptions {
  /**
   * The revision this upload must replace (0: the path must be free). Without it the upload replaces
   * whatever is there; with it, a remote that moved on is refused with REVISION_CONFLICT before any
   * chunk is sent, and the commit is guarded by it (the sync engine's optimistic concurrency).
   */
  readonly expectedRevision?: number;
}

/** `localPath` must be absolute and name a regular file; `remote` is a path of the caller's namespace or a file by id. */
export async function uploadFile(ctx: TransferContext, localPath: string, remote: string | RevisionTarget, options: UploadOptions = {}): Promise<UploadResult> {
  const remotePath = typeof remote === 'string' ? remotePathOf(remote) : remote.label;
  const handle = await onDisk(localPath, () => open(localPath, 'r'));
  try {
    const file = await describeFile(ctx, localPath, remotePath, handle);
    const start =
      typeof remote === 'string'
        ? await ctx.api.call('startUpload', { body: { path: remotePath, ...file.content } })
        : await ctx.api.call('startRevisionUpload', { params: { fileId: remote.fileId }, body: file.content });
    const current = start.existing?.revision ?? 0;
    const expected = options.expectedRevision ?? current;
    if (expected !== current) {
      throw new ToteError('REVISION_CONFLICT', `expected revision ${expected} but the current revision is ${current}`, {
        subject: remotePath,
        details: { currentRevision: current },
      });
    }
    const toSend = beginUpload(ctx, file, start);
    const sender = chunkSender(ctx, file, start, toSend, handle);
    await sender.sendAll(toSend);
    return finishUpload(ctx, file, start.uploadId, await commitOne(ctx, file, start, sender, expected), sender);
  } finally {
    await handle.close();
  }
}
