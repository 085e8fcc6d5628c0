/** Uploads of picked files, one transfer each, through the shared transfer core (client/src/core). */
import type { ApiClient } from '../api/client';
import { WebError } from '../errors';
import type { PickedFile } from './picked-files';
import type { Transfers } from './transfers';

export async function uploadFiles(_api: ApiClient, transfers: Transfers, picked: readonly PickedFile[]): Promise<void> {
  await Promise.all(
    picked.map(({ file }) =>
      transfers.start('upload', file.name, file.size, () => Promise.reject(new WebError('UNAVAILABLE', 'uploads arrive with the shared transfer core'))),
    ),
  );
}
