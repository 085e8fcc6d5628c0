/** GET /changes?cursor=&limit=: what changed in the caller's files and in files shared with the caller since a cursor. */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories, sharingRepositories } from '@repo/wiring';
import { listChanges } from '@domain/change-feed';

const config = readConfig('fileTable', 'sharedTable');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable) };

export const handler = authedHandler('listChanges', async ({ caller, query }) => json(await listChanges(deps, caller, query)));
