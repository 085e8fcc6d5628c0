/**
 * Uploads of picked files through the shared core (client/src/core uploadSource): chunks cut and
 * hashed in the worker, only those the service lacks (and no earlier run confirmed) sent, then the
 * manifest committed. Progress counts bytes settled in storage (sent now or already there).
 */
import { uploadSource } from '../../../client/src/core/transfer/upload';
import type { PickedFile } from './picked-files';
import type { Transfers } from './transfers';
import { fileSource } from './file-source';
import { workerChunks } from './worker-chunks';

export async function uploadFiles(transfers: Transfers, picked: readonly PickedFile[]): Promise<void> {
  await Promise.all(
    picked.map(({ file, path }) =>
      transfers.start('upload', path, file.size, async (progress, signal) => {
        let settled = 0;
        const outcome = await uploadSource(
          {
            ...transfers.env,
            emit: (event) => {
              if (event.type === 'upload.start') progress.phase('sending');
              else if (event.type === 'upload.chunk') progress.done((settled += event.bytes));
              else if (event.type === 'upload.waiting') progress.phase('finishing');
            },
          },
          { source: fileSource(file), localPath: file.name, target: { path }, mimeType: file.type || undefined, chunks: workerChunks(file), signal },
        );
        return `${outcome.chunksSent} of ${outcome.chunksSent + outcome.chunksSkipped} chunks sent`;
      }),
    ),
  );
}
