/**
 * Uploads every file under a local folder. Small files go up in batches (upload-batch.ts): a
 * thousand of them cost a few API round trips rather than three each. Larger files go up one at a
 * time, each with its chunks in parallel (meanwhile the last batch may be committing).
 */
import { LIMITS } from '@contract/limits';
import { statEntry } from '../localfs/identity';
import type { TransferContext } from './context';
import { walkFiles } from './local-tree';
import { UploadOutcomes } from './outcomes';
import { BATCH_FILE_MAX_BYTES, UploadBatches, type BatchFile } from './upload-batch';
import { remotePathOf, uploadFile } from './upload';

export async function uploadFolder(ctx: TransferContext, root: string, remoteRoot: string): Promise<UploadOutcomes> {
  const outcomes = new UploadOutcomes(ctx.emit);
  const batches = new UploadBatches(ctx, outcomes);
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
      else small.push({ localPath, remotePath });
    });
    if (small.length >= LIMITS.batchMaxFiles) await flush();
  }
  await flush();
  await batches.finish();
  return outcomes;
}
