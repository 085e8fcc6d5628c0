/**
 * Uploads every file under a local folder. Small files go up in batches (core/transfer/upload-batch.ts):
 * a thousand of them cost a few API round trips rather than three each. Larger files go up one at a
 * time, each with its chunks in parallel (meanwhile the last batch may be committing).
 */
import { LIMITS } from '@contract/limits';
import { UploadOutcomes } from '../core/transfer/outcomes';
import { BATCH_FILE_MAX_BYTES, UploadBatches, type BatchFile } from '../core/transfer/upload-batch';
import type { FileIdentity } from '../localfs/identity';
import { statEntry } from '../localfs/identity';
import { nodeEnvironment, type TransferContext } from './context';
import { walkFiles } from './local-tree';
import { openLocalFile } from './local-source';
import { mimeTypeOf, remotePathOf, uploadFile } from './upload';

export async function uploadFolder(ctx: TransferContext, root: string, remoteRoot: string): Promise<UploadOutcomes> {
  const outcomes = new UploadOutcomes(ctx.emit);
  const batches = new UploadBatches(nodeEnvironment(ctx), outcomes);
  let small: BatchFile[] = [];
  const flush = async () => {
    if (small.length > 0) await batches.add(small);
    small = [];
  };
  for await (const file of walkFiles(root, ctx.emit)) {
    const localPath = file.absolutePath;
    await outcomes.perFile(localPath, async () => {
      const remotePath = remotePathOf([remoteRoot, ...file.segments].join('/'));
      if ((await statEntry(localPath)).size > BATCH_FILE_MAX_BYTES) outcomes.results.push(await uploadFile(ctx, localPath, remotePath));
      else small.push(batchFile(ctx, localPath, remotePath));
    });
    if (small.length >= LIMITS.batchMaxFiles) await flush();
  }
  await flush();
  await batches.finish();
  return outcomes;
}

/**
 * A local file in a batch: opened to be hashed, and again to be sent, judged by its identity at the
 * first opening, or by `since` (its identity when the caller looked at it) from the start.
 */
export function batchFile(ctx: TransferContext, localPath: string, remotePath: string, since?: FileIdentity): BatchFile {
  let first = since;
  return {
    localPath,
    remotePath,
    mimeType: mimeTypeOf(localPath),
    async open() {
      const opened = await openLocalFile(ctx.state.localFiles, localPath, first);
      first ??= opened.identity;
      return opened;
    },
  };
}
