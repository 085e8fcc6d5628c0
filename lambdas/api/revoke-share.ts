/** DELETE /files/{fileId}/shares/{userId}: end one user's share of the file (owner only; idempotent). */
import { ShareParams } from '@contract/schemas';
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories, sharingRepositories } from '@repo/wiring';
import { revokeShare } from '@domain/sharing';

const config = readConfig('fileTable', 'sharedTable');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable) };

export const handler = authedHandler({ params: ShareParams }, async ({ caller, params }) =>
  json(await revokeShare(deps, caller, params.fileId, params.userId)),
);
