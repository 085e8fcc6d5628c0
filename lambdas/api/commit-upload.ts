/**
 * POST /uploads/{uploadId}/commit: the file's next revision, once every chunk is verified; an open
 * upload brings its manifest. 202 pending while the tracker has yet to register chunks storage holds.
 */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { bucketRepositories, metadataRepositories, sharingRepositories } from '@repo/wiring';
import { commitUpload } from '@domain/commit';
import { commitOrPending } from '@domain/commit-pending';
import { commitOpenUpload } from '@domain/open-uploads';

const config = readConfig('fileTable', 'sharedTable', 'bucket');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable), ...bucketRepositories(config.bucket) };

export const handler = authedHandler('commitUpload', async ({ caller, body, params }) => {
  const answer = await commitOrPending(deps, caller, params.uploadId, () =>
    body.manifest === undefined
      ? commitUpload(deps, caller, params.uploadId, body.expectedRevision)
      : commitOpenUpload(deps, caller, params.uploadId, body.manifest, body.expectedRevision),
  );
  if (answer.status !== 'pending') return json(answer);
  return json(answer, 202, { 'retry-after': String(Math.ceil(answer.retryAfterMs / 1000)) });
});
