/** GET /trash?cursor=&limit=: the caller's deleted files, newest deletion first, who deleted each, and when each goes for good. */
import { readConfig, readRetention } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories, userDirectory } from '@repo/wiring';
import { listTrash } from '@domain/trash';

const config = readConfig('fileTable', 'userPoolId');
const deps = { ...metadataRepositories(config.fileTable), ...userDirectory(config.userPoolId), retention: readRetention() };

export const handler = authedHandler('listTrash', async ({ caller, query }) => json(await listTrash(deps, caller, query)));
