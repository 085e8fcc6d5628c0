/** GET /folders?path=&cursor=&limit=: one page of a folder, folders and files by name. */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories } from '@repo/wiring';
import { listFolder } from '@domain/files';

const config = readConfig('fileTable');
const deps = metadataRepositories(config.fileTable);

export const handler = authedHandler('listFolder', async ({ caller, query }) => json(await listFolder(deps, caller, query)));
