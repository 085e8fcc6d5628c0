/** POST /uploads/{uploadId}/commit: the file's next revision, once every chunk is verified; an open upload brings its manifest. */
import { CommitRequest, UploadIdParams } from '@contract/schemas';
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { bucketRepositories, metadataRepositories, sharingRepositories } from '@repo/wiring';
import { commitUpload } from '@domain/commit';
import { commitOpenUpload } from '@domain/open-uploads';

const config = readConfig('fileTable', 'sharedTable', 'bucket');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable), ...bucketRepositories(config.bucket) };

export const handler = authedHandler({ body: CommitRequest, params: UploadIdParams }, async ({ caller, body, params }) =>
  json(
    body.manifest === undefined
      ? await commitUpload(deps, caller, params.uploadId, body.expectedRevision)
      : await commitOpenUpload(deps, caller, params.uploadId, body.manifest, body.expectedRevision),
  ),
);
