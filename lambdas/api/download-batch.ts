/** POST /download-batches: the first download page of up to a thousand files, named by id or path, in one request. */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { timeBudget } from '@shared/time-budget';
import { downloadRepositories } from '@repo/wiring';
import { downloadBatch } from '@domain/download-batch';

const deps = downloadRepositories(readConfig('fileTable', 'sharedTable', 'bucket', 'downloadBaseUrl', 'signingKeyPairId', 'signingKeySecretId'));

/** Time kept back from the timeout to answer what is signed (serialising a thousand pages, the response's trip). */
const RESERVE_MS = 4_000;

export const handler = authedHandler('downloadBatch', async ({ caller, body, context }) => {
  const inTime = timeBudget(context, RESERVE_MS);
  return json(await downloadBatch(deps, caller, body, new Date(), inTime));
});
