/**
 * Downloads of one file through the shared core (client/src/core downloadInto): chunks fetched in
 * parallel, each hashed as it arrives and written at its offset into the save target, the whole
 * content proven against the file's content hash, and only then handed to the person.
 */
import { downloadInto } from '../../../client/src/core/transfer/download';
import type { FileMetadata } from '@contract/schemas';
import { saveTarget } from './save-target';
import type { Transfers } from './transfers';

export async function downloadFile(transfers: Transfers, fileId: string, name: string, size: number): Promise<void> {
  await transfers.start('download', name, size, async (progress, signal) => {
    const env = transfers.env;
    const file: FileMetadata = await env.api.call('getMetadata', { params: { fileId } });
    const target = await saveTarget(file.name, file.size, `${file.fileId}-${file.revision}`);
    let received = 0;
    progress.phase('sending');
    try {
      const outcome = await downloadInto(
        { ...env, emit: (event) => event.type === 'download.chunk' && progress.done((received += event.bytes)) },
        {
          file,
          localPath: file.name,
          signal,
          target: { sink: { write: (offset, bytes) => target.write(offset, bytes) }, complete: () => target.deliver(), discard: () => target.discard() },
        },
      );
      return `${outcome.chunksFetched} chunks fetched, all verified`;
    } catch (error) {
      await target.discard();
      throw error;
    }
  });
}
