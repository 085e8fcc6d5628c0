/** POST /uploads/{uploadId}/commit: the file's next revision, once every chunk is verified. */
import { CommitRequest, UploadIdParams } from '@contract/schemas';
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { bucketRepositories, metadataRepositories, sharingRepositories } from '@repo/wiring';
import { commitUpload } from '@domain/commit';

const config = readConfig('fileTable', 'sharedTable', 'bucket');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable), ...bucketRepositories(config.bucket) };

export const handler = authedHandler({ body: CommitRequest, params: UploadIdParams }, async ({ caller, body, params }) =>
  json(await commitUpload(deps, caller, params.uploadId, body.expectedRevision)),
);
