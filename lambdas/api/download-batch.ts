/** POST /download-batches: the first download page of up to a thousand files, named by id or path, in one request. */
import { ROUTE_REQUESTS } from '@contract/route-requests';
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { downloadRepositories } from '@repo/wiring';
import { downloadBatch } from '@domain/download-batch';

const deps = downloadRepositories(readConfig('fileTable', 'sharedTable', 'bucket', 'downloadBaseUrl', 'signingKeyPairId', 'signingKeySecretId'));

export const handler = authedHandler(ROUTE_REQUESTS.downloadBatch, async ({ caller, body }) => json(await downloadBatch(deps, caller, body)));
