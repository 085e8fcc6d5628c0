/** POST /trash/restore: brings a deleted file (or a group deleted together) back, beside its old path when that is taken. */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories } from '@repo/wiring';
import { restoreFromTrash } from '@domain/trash';

const config = readConfig('fileTable');
const deps = metadataRepositories(config.fileTable);

export const handler = authedHandler('restoreTrash', async ({ caller, body }) => json(await restoreFromTrash(deps, caller, body)));
