/** GET /files/{fileId}/versions?cursor=&limit=: the file's versions, newest first, to anyone who may read it. */
import { readConfig, readRetention } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories, sharingRepositories, userDirectory } from '@repo/wiring';
import { listVersions } from '@domain/versions';

const config = readConfig('fileTable', 'sharedTable', 'userPoolId');
const deps = {
  ...metadataRepositories(config.fileTable),
  ...sharingRepositories(config.sharedTable),
  ...userDirectory(config.userPoolId),
  retention: readRetention(),
};

export const handler = authedHandler('listVersions', async ({ caller, params, query }) =>
  json(await listVersions(deps, caller, params.fileId, query)),
);
