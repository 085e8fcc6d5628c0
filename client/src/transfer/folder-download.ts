/**
 * Downloads every file under a remote folder into a local folder (`tote get <folder>`). The remote
 * tree is walked a listing page at a time; its files go in batches of up to a thousand through POST
 * /download-batches (core/transfer/download-batch.ts), each written as a single download is (a temp
 * file verified, then renamed into place: download.ts). A local file in the way is left alone unless
 * the caller allows replacing it (as `tote get` of one file), except when this client recorded it with
 * the very content the service has: then there is nothing to do.
 */
import { LIMITS } from '@contract/limits';
import type { FolderEntry } from '@contract/schemas';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ToteError } from '../core/errors';
import { DownloadBatches, type BatchDownload } from '../core/transfer/download-batch';
import { FileOutcomes } from '../core/transfer/outcomes';
import { walkRemoteFolder } from '../core/transfer/remote-folder';
import { onDisk } from '../localfs/errors';
import { entryAt } from '../localfs/identity';
import { relativeTo } from '../sync/paths';
import { nodeEnvironment, type TransferContext } from './context';
import { downloadFile, type DownloadResult } from './download';

export interface FolderDownloadOptions {
  /** Replace local files that differ from the remote ones (default: refuse each, LOCAL_EXISTS). */
  readonly overwrite?: boolean;
}

export interface FolderDownload {
  readonly outcomes: FileOutcomes<DownloadResult>;
  /** Local files that already held the remote content (recorded by this client): not fetched again. */
  readonly unchanged: string[];
  /** Folders made or found, the local root included. */
  readonly folders: number;
}

/** `remoteRoot` as the service spells it (a listing's `path`); `localRoot` need not exist yet. */
export async function downloadFolder(ctx: TransferContext, remoteRoot: string, localRoot: string, options: FolderDownloadOptions = {}): Promise<FolderDownload> {
  const outcomes = new FileOutcomes<DownloadResult>(ctx.emit);
  const batches = new DownloadBatches(nodeEnvironment(ctx), outcomes);
  const unchanged: string[] = [];
  let folders = 1;
  await makeFolder(localRoot);
  let pending: BatchDownload<DownloadResult>[] = [];
  try {
    for await (const entry of walkRemoteFolder(ctx.api, remoteRoot)) {
      const rel = relativeTo(remoteRoot, entry.path);
      if (rel === undefined || rel === '') throw new ToteError('UNEXPECTED_RESPONSE', `the listing of ${remoteRoot} holds ${entry.path}`);
      const localPath = join(localRoot, ...rel.split('/'));
      if (entry.kind === 'folder') {
        await outcomes.perFile(localPath, () => makeFolder(localPath));
        folders += 1;
        continue;
      }
      const wanted = await outcomes.perFile(localPath, () => needsDownload(ctx, entry, localPath, options));
      if (wanted === false) unchanged.push(localPath);
      if (!wanted) continue;
      pending.push({
        label: localPath,
        ref: { fileId: entry.fileId },
        run: (page, storage) => downloadFile({ ...ctx, fetch: storage }, page.file, localPath, page),
      });
      if (pending.length >= LIMITS.batchMaxFiles) {
        await batches.add(pending);
        pending = [];
      }
    }
    await batches.add(pending);
  } finally {
    await batches.finish();
  }
  return { outcomes, unchanged, folders };
}

/**
 * Whether the file is to be fetched: true when nothing is at its place, or something the caller lets
 * it replace; false when this client recorded that very content there; LOCAL_EXISTS otherwise.
 */
async function needsDownload(ctx: TransferContext, entry: Extract<FolderEntry, { kind: 'file' }>, localPath: string, options: FolderDownloadOptions): Promise<boolean> {
  const existing = await entryAt(localPath);
  if (existing === undefined) return true;
  if (existing.isDirectory) throw new ToteError('LOCAL_EXISTS', 'is a directory', { subject: localPath });
  if (ctx.state.localFiles.lookup(localPath, existing)?.contentHash === entry.contentHash) return false;
  if (!options.overwrite) throw new ToteError('LOCAL_EXISTS', 'already exists and differs; pass --force to replace it', { subject: localPath });
  return true;
}

async function makeFolder(path: string): Promise<void> {
  await onDisk(path, () => mkdir(path, { recursive: true }));
}
