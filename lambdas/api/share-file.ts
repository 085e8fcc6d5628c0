/** PUT /files/{fileId}/shares: share the file with users by email as viewer or editor (again: change their role). */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories, sharingRepositories, userDirectory } from '@repo/wiring';
import { shareFile } from '@domain/sharing';

const config = readConfig('fileTable', 'sharedTable', 'userPoolId');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable), ...userDirectory(config.userPoolId) };

export const handler = authedHandler('shareFile', async ({ caller, params, body }) =>
  json(await shareFile(deps, caller, params.fileId, body)),
);
