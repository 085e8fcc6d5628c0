/** POST /trash/purge: deletes trashed files for good (one, a group, or all: then `more` says to ask again). */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories } from '@repo/wiring';
import { purgeFromTrash } from '@domain/trash';

const config = readConfig('fileTable');
const deps = metadataRepositories(config.fileTable);

export const handler = authedHandler('purgeTrash', async ({ caller, body }) => json(await purgeFromTrash(deps, caller, body)));
