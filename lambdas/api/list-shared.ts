/** GET /shared?cursor=&limit=: one page of the files others shared with the caller. */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories, sharingRepositories } from '@repo/wiring';
import { listShared } from '@domain/sharing';

const config = readConfig('fileTable', 'sharedTable');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable) };

export const handler = authedHandler('listShared', async ({ caller, query }) => json(await listShared(deps, caller, query)));
