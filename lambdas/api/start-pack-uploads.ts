/** POST /packs: presigned PUTs for packs of small blobs in the caller's own namespace. */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { bucketRepositories } from '@repo/wiring';
import { startPackUploads } from '@domain/packs';

const config = readConfig('bucket');
const deps = bucketRepositories(config.bucket);

export const handler = authedHandler('startPackUploads', async ({ caller, body }) => json(await startPackUploads(deps, caller, body)));
