/**
 * POST /uploads and POST /files/{fileId}/uploads: start or resume an upload, to a path of the caller's
 * namespace or as the next revision of a file by id; presigned PUT URLs for the chunks the namespace
 * lacks. Two routes, one function; each keeps its own precompiled schema, chosen by whether the route
 * has a file id.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { ROUTE_REQUESTS } from '@contract/route-requests';
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { bucketRepositories, metadataRepositories, sharingRepositories } from '@repo/wiring';
import { startRevisionUpload, startUpload } from '@domain/uploads';

const config = readConfig('fileTable', 'sharedTable', 'bucket');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable), ...bucketRepositories(config.bucket) };

const byPath = authedHandler(ROUTE_REQUESTS.startUpload, async ({ caller, body }) => json(await startUpload(deps, caller, body)));
const byFile = authedHandler(ROUTE_REQUESTS.startRevisionUpload, async ({ caller, params, body }) =>
  json(await startRevisionUpload(deps, caller, params.fileId, body)),
);

export const handler = (event: APIGatewayProxyEventV2, context: Context) =>
  event.pathParameters?.fileId === undefined ? byPath(event, context) : byFile(event, context);
