/** POST /files/{fileId}/move: move or rename the file; answers with its new state. */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories, sharingRepositories } from '@repo/wiring';
import { moveFile } from '@domain/mutations';

const config = readConfig('fileTable', 'sharedTable');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable) };

export const handler = authedHandler('moveFile', async ({ caller, params, body }) =>
  json(await moveFile(deps, caller, params.fileId, body)),
);
