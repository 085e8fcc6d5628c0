/** POST /uploads/{uploadId}/urls: more presigned PUT URLs for chunks of the session still missing. */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { bucketRepositories, metadataRepositories, sharingRepositories } from '@repo/wiring';
import { uploadUrls } from '@domain/uploads';

const config = readConfig('fileTable', 'sharedTable', 'bucket');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable), ...bucketRepositories(config.bucket) };

export const handler = authedHandler('uploadUrls', async ({ caller, body, params }) =>
  json(await uploadUrls(deps, caller, params.uploadId, body)),
);
