/** POST /files/{fileId}/versions/{revision}/restore: that version's content becomes the file's next revision (editors and the owner). */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { bucketRepositories, metadataRepositories, sharingRepositories } from '@repo/wiring';
import { restoreVersion } from '@domain/versions';

const config = readConfig('fileTable', 'sharedTable', 'bucket');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable), ...bucketRepositories(config.bucket) };

export const handler = authedHandler('restoreVersion', async ({ caller, params, body }) =>
  json(await restoreVersion(deps, caller, params.fileId, Number(params.revision), body)),
);
