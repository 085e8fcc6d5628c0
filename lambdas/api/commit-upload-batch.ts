/** POST /upload-batches/commit: commit up to a thousand uploads in one request, each as its own commit would. */
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { BATCH_RESERVE_MS, timeBudget } from '@shared/time-budget';
import { bucketRepositories, metadataRepositories, sharingRepositories } from '@repo/wiring';
import { commitUploadBatch } from '@domain/commit-batch';
import { explainRejectedPacks } from '@domain/packs';

const config = readConfig('fileTable', 'sharedTable', 'bucket');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable), ...bucketRepositories(config.bucket) };

export const handler = authedHandler('commitUploadBatch', async ({ caller, body, context }) =>
  json(await explainRejectedPacks(deps, caller, body, await commitUploadBatch(deps, caller, body, new Date(), timeBudget(context, BATCH_RESERVE_MS)))),
);
