/**
 * POST /uploads and POST /files/{fileId}/uploads: start or resume an upload, to a path of the caller's
 * namespace or as the next revision of a file by id; presigned PUT URLs for the chunks the namespace
 * lacks. Two routes, one function; each keeps its own precompiled schema, chosen by whether the route
 * has a file id.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { FileIdParams, StartRevisionUploadRequest, StartUploadRequest } from '@contract/schemas';
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { bucketRepositories, metadataRepositories, sharingRepositories } from '@repo/wiring';
import { startRevisionUpload, startUpload } from '@domain/uploads';

const config = readConfig('fileTable', 'sharedTable', 'bucket');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable), ...bucketRepositories(config.bucket) };

const byPath = authedHandler({ body: StartUploadRequest }, async ({ caller, body }) => json(await startUpload(deps, caller, body)));
const byFile = authedHandler({ params: FileIdParams, body: StartRevisionUploadRequest }, async ({ caller, params, body }) =>
  json(await startRevisionUpload(deps, caller, params.fileId, body)),
);

export const handler = (event: APIGatewayProxyEventV2, context: Context) =>
  event.pathParameters?.fileId === undefined ? byPath(event, context) : byFile(event, context);
