/** DELETE /files/{fileId}?expectedRevision=: tombstone the file; answers with its deleted state. */
import { ROUTE_REQUESTS } from '@contract/route-requests';
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories, sharingRepositories } from '@repo/wiring';
import { deleteFile } from '@domain/mutations';

const config = readConfig('fileTable', 'sharedTable');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable) };

export const handler = authedHandler(ROUTE_REQUESTS.deleteFile, async ({ caller, params, query }) =>
  json(await deleteFile(deps, caller, params.fileId, query.expectedRevision === undefined ? undefined : Number(query.expectedRevision))),
);
