/** POST /uploads/{uploadId}/commit: the file's next revision, once every chunk is verified. */
import { ROUTE_REQUESTS } from '@contract/route-requests';
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { bucketRepositories, metadataRepositories, sharingRepositories } from '@repo/wiring';
import { commitUpload } from '@domain/commit';

const config = readConfig('fileTable', 'sharedTable', 'bucket');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable), ...bucketRepositories(config.bucket) };

export const handler = authedHandler(ROUTE_REQUESTS.commitUpload, async ({ caller, body, params }) =>
  json(await commitUpload(deps, caller, params.uploadId, body.expectedRevision)),
);
