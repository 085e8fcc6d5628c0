/**
 * Downloads one file revision through the core's download engine (core/transfer/download.ts) into a
 * temp file beside the destination, sized up front (sparse), each chunk written at its offset as it
 * arrives and verified as it streams. Every verified chunk is recorded, so a killed download resumes
 * (kept chunks are hashed again from the file first: a crash may have lost writes never flushed).
 * Crash safety costs two flushes in all: the temp file's data once everything is in and proven, then
 * the rename into place and the folder that holds it. The destination is either the old file or the
 * complete new one.
 */
import type { DownloadResponse, FileMetadata } from '@contract/schemas';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { downloadInto } from '../core/transfer/download';
import { fsError, onDisk } from '../localfs/errors';
import { fileSink } from '../localfs/file-io';
import { statEntry } from '../localfs/identity';
import { readRange } from '../localfs/ranges';
import { nodeEnvironment, type TransferContext } from './context';
import { readLocalChunk } from './local-chunks';
import { tempDownloadPath } from './temp-names';

export interface DownloadResult {
  readonly remotePath: string;
  readonly localPath: string;
  readonly file: FileMetadata;
  /** Bytes that travelled from storage in this run (as stored, so compressed where they were). */
  readonly bytesReceived: number;
  readonly chunksFetched: number;
  /** Chunks copied from local files or kept from an interrupted run. */
  readonly chunksReused: number;
}

/** `firstPage`: the manifest's first page, when a batch already brought it (core/transfer/download-batch.ts). */
export async function downloadFile(ctx: TransferContext, file: FileMetadata, destPath: string, firstPage?: DownloadResponse): Promise<DownloadResult> {
  const tempPath = tempDownloadPath(destPath, file.fileId);
  const { handle, resumed } = await openTemp(ctx, file, destPath, tempPath);
  let open = true;
  const close = async () => {
    if (open) await handle.close();
    open = false;
  };
  try {
    const outcome = await downloadInto(nodeEnvironment(ctx), {
      file,
      localPath: destPath,
      firstPage,
      target: {
        sink: fileSink(handle, tempPath),
        read: (offset, length) => readRange(handle, tempPath, offset, length),
        resumed,
        local: (hash, size) => readLocalChunk(ctx.state.localFiles, hash, size),
        written: (chunk) => ctx.state.downloads.written(tempPath, chunk),
        complete: async () => {
          await onDisk(tempPath, () => handle.sync());
          await close();
          await onDisk(destPath, () => rename(tempPath, destPath));
          await syncDirectory(dirname(destPath));
          ctx.state.downloads.finish(tempPath);
        },
        discard: async () => {
          ctx.state.downloads.finish(tempPath);
          await close();
          await rm(tempPath, { force: true });
        },
      },
    });
    const identity = await statEntry(destPath);
    ctx.state.localFiles.record(destPath, identity, { size: file.size, contentHash: file.contentHash, chunks: outcome.chunks });
    return {
      remotePath: file.path,
      localPath: destPath,
      file,
      bytesReceived: outcome.bytesReceived,
      chunksFetched: outcome.chunksFetched,
      chunksReused: outcome.chunksReused,
    };
  } finally {
    await close();
  }
}

/** Opens the temp file, resuming a previous run's for the same revision when its file is still there. */
async function openTemp(ctx: TransferContext, file: FileMetadata, destPath: string, tempPath: string): Promise<{ handle: FileHandle; resumed: Set<number> }> {
  const record = { tempPath, destPath, fileId: file.fileId, revision: file.revision, contentHash: file.contentHash, size: file.size };
  const written = ctx.state.downloads.begin(record);
  if (written.length > 0) {
    try {
      const handle = await open(tempPath, 'r+');
      return { handle, resumed: new Set(written.map((c) => c.index)) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fsError(error, tempPath);
      ctx.state.downloads.finish(tempPath);
      ctx.state.downloads.begin(record);
    }
  }
  const handle = await onDisk(tempPath, () => open(tempPath, 'w+'));
  await onDisk(tempPath, () => handle.truncate(file.size));
  return { handle, resumed: new Set() };
}

/** Makes the rename durable: on Linux the directory entry is only safe once the directory is flushed. */
async function syncDirectory(path: string): Promise<void> {
  const dir = await open(path, 'r').catch(() => undefined);
  if (!dir) return;
  try {
    await dir.sync().catch(() => undefined);
  } finally {
    await dir.close();
  }
}
