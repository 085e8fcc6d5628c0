/** GET /files/{fileId}/download?chunkOffset=&revision=: a page of the manifest with signed chunk URLs. */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { downloadRepositories } from '@repo/wiring';
import { getDownload } from '@domain/downloads';

const deps = downloadRepositories(readConfig('fileTable', 'sharedTable', 'bucket', 'downloadBaseUrl', 'signingKeyPairId', 'signingKeySecretId'));

const optionalNumber = (value: string | undefined) => (value === undefined ? undefined : Number(value));

export const handler = authedHandler('getDownload', async ({ caller, params, query }) =>
  json(
    await getDownload(deps, caller, params.fileId, {
      chunkOffset: optionalNumber(query.chunkOffset),
      revision: optionalNumber(query.revision),
    }),
  ),
);
