/** DELETE /files/{fileId}?expectedRevision=: moves the file to the trash; answers with its deleted state and until when it can be restored. */
import { readConfig, readRetention } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories, sharingRepositories } from '@repo/wiring';
import { deleteFile } from '@domain/mutations';

const config = readConfig('fileTable', 'sharedTable');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable), retention: readRetention() };

export const handler = authedHandler('deleteFile', async ({ caller, params, query }) =>
  json(await deleteFile(deps, caller, params.fileId, query.expectedRevision === undefined ? undefined : Number(query.expectedRevision))),
);
