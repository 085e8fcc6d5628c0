/**
 * Downloads of one file through the shared core's engine (client/src/core downloadInto): chunks fetched
 * in parallel, each hashed as it arrives and written at its offset, the whole content proven against
 * the file's content hash, and only then handed to the person. Where the browser has the origin private
 * file system, the engine runs in the download worker and writes into a staging file there (flat
 * memory, the page's thread free); elsewhere it runs in the page into memory (save-target.ts).
 */
import { downloadInto } from '../../../client/src/core/transfer/download';
import type { FileMetadata } from '@contract/schemas';
import { memoryTarget, staging } from './save-target';
import type { Progress, Transfers } from './transfers';
import { downloadInWorker } from './worker-download';

export async function downloadFile(transfers: Transfers, fileId: string, name: string, size: number): Promise<void> {
  await transfers.start('download', name, size, async (progress, signal) => {
    const env = transfers.env;
    const file: FileMetadata = await env.api.call('getMetadata', { params: { fileId } });
    progress.phase('sending');
    const staged = await staging(`${file.fileId}-${file.revision}`);
    if (staged) {
      let outcome: Awaited<ReturnType<typeof downloadInWorker>>;
      try {
        outcome = await downloadInWorker({ api: env.api, file, stagedName: staged.stagedName, concurrency: env.concurrency, signal, progress: progress.done });
      } catch (error) {
        await staged.discard();
        throw error;
      }
      if (outcome !== 'unsupported') {
        // The delivered file stays staged while the browser copies it into Downloads; a later download clears it.
        await staged.deliver(file.name);
        return summary(outcome.chunksFetched);
      }
      await staged.discard();
    }
    return downloadInPage(transfers, file, progress, signal);
  });
}

const summary = (chunksFetched: number) => `${chunksFetched} chunks fetched, all verified`;

async function downloadInPage(transfers: Transfers, file: FileMetadata, progress: Progress, signal: AbortSignal): Promise<string> {
  let received = 0;
  const outcome = await downloadInto(
    { ...transfers.env, emit: (event) => event.type === 'download.chunk' && progress.done((received += event.bytes)) },
    { file, localPath: file.name, signal, target: memoryTarget(file.name) },
  );
  return summary(outcome.chunksFetched);
}
