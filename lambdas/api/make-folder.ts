/** POST /folders: creates a folder (and its ancestors); an existing folder is answered as it is. */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories } from '@repo/wiring';
import { makeFolder } from '@domain/folder-changes';

const config = readConfig('fileTable');
const deps = metadataRepositories(config.fileTable);

export const handler = authedHandler('makeFolder', async ({ caller, body }) => json(await makeFolder(deps, caller, body)));
