/** GET /files/{fileId}/shares: everyone the file is shared with, and their roles (owner only). */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories, sharingRepositories } from '@repo/wiring';
import { listCollaborators } from '@domain/sharing';

const config = readConfig('fileTable', 'sharedTable');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable) };

export const handler = authedHandler('listCollaborators', async ({ caller, params }) => json(await listCollaborators(deps, caller, params.fileId)));
