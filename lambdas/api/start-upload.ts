/** POST /uploads: start or resume an upload; presigned PUT URLs for the chunks the namespace lacks. */
import { StartUploadRequest } from '@contract/schemas';
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { bucketRepositories, metadataRepositories } from '@repo/wiring';
import { startUpload } from '@domain/uploads';

const config = readConfig('fileTable', 'bucket');
const deps = { ...metadataRepositories(config.fileTable), ...bucketRepositories(config.bucket) };

export const handler = authedHandler({ body: StartUploadRequest }, async ({ caller, body }) => json(await startUpload(deps, caller, body)));
