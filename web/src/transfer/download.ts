/** Downloads of one file, verified, through the shared transfer core (client/src/core). */
import type { ApiClient } from '../api/client';
import { WebError } from '../errors';
import type { Transfers } from './transfers';

export interface DownloadTarget {
  readonly fileId: string;
  readonly name: string;
  readonly size: number;
}

export async function downloadFile(_api: ApiClient, transfers: Transfers, file: DownloadTarget): Promise<void> {
  await transfers.start('download', file.name, file.size, () => Promise.reject(new WebError('UNAVAILABLE', 'downloads arrive with the shared transfer core')));
}
