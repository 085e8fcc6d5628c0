/** DELETE /files/{fileId}/shares/{collaboratorId}: end one collaborator's share or invitation (owner only; idempotent). */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories, sharingRepositories } from '@repo/wiring';
import { revokeShare } from '@domain/sharing';

const config = readConfig('fileTable', 'sharedTable');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable) };

export const handler = authedHandler('revokeShare', async ({ caller, params }) =>
  json(await revokeShare(deps, caller, params.fileId, params.collaboratorId)),
);
