/**
 * GET /files/{fileId} and GET /paths?path=: a file's metadata by id or by path. Two routes, one
 * function; each keeps its own precompiled schema, chosen by whether the route has a file id.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { readConfig } from '@shared/config';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { metadataRepositories, sharingRepositories } from '@repo/wiring';
import { getFileMetadata, lookupPath } from '@domain/files';

const config = readConfig('fileTable', 'sharedTable');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable) };

const byId = authedHandler('getMetadata', async ({ caller, params }) => json(await getFileMetadata(deps, caller, params.fileId)));
const byPath = authedHandler('lookupPath', async ({ caller, query }) => json(await lookupPath(deps, caller, query.path)));

export const handler = (event: APIGatewayProxyEventV2, context: Context) =>
  event.pathParameters?.fileId === undefined ? byPath(event, context) : byId(event, context);
