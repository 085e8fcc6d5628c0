/** POST /upload-batches: start (or resume) up to a thousand uploads of small files in one request. */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { BATCH_RESERVE_MS, timeBudget } from '@shared/time-budget';
import { bucketRepositories, metadataRepositories } from '@repo/wiring';
import { startUploadBatch } from '@domain/upload-batch';

const config = readConfig('fileTable', 'bucket');
const deps = { ...metadataRepositories(config.fileTable), ...bucketRepositories(config.bucket) };

export const handler = authedHandler('startUploadBatch', async ({ caller, body, context }) =>
  json(await startUploadBatch(deps, caller, body, new Date(), timeBudget(context, BATCH_RESERVE_MS))),
);
