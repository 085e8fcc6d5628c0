/**
 * POST /uploads and POST /files/{fileId}/uploads: start or resume an upload, to a path of the caller's
 * namespace or as the next revision of a file by id; presigned PUT URLs for the chunks the namespace
 * lacks. A start is closed (the whole manifest and its content hash) or open (a session key and the
 * chunks known so far: open-uploads.ts). Two routes, one function; each keeps its own precompiled
 * schema, chosen by whether the route has a file id.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { StartRevisionUploadBody } from '@contract/schemas';
import { readConfig } from '@shared/config';
import { validationFailed } from '@shared/errors';
import { authedHandler } from '@shared/handler';
import { json } from '@shared/http';
import { bucketRepositories, metadataRepositories, sharingRepositories } from '@repo/wiring';
import { openRevisionUpload, openUpload } from '@domain/open-uploads';
import { startRevisionUpload, startUpload } from '@domain/uploads';

const config = readConfig('fileTable', 'sharedTable', 'bucket');
const deps = { ...metadataRepositories(config.fileTable), ...sharingRepositories(config.sharedTable), ...bucketRepositories(config.bucket) };

/** Which form a start takes: exactly one of `contentHash` (closed) and `sessionKey` (open). */
function formOf<B extends StartRevisionUploadBody>(body: B): { closed: B & { contentHash: string } } | { open: B & { sessionKey: string } } {
  const { contentHash, sessionKey } = body;
  if (contentHash !== undefined && sessionKey === undefined) return { closed: { ...body, contentHash } };
  if (sessionKey !== undefined && contentHash === undefined) return { open: { ...body, sessionKey } };
  throw validationFailed('a start carries either body.contentHash (the whole manifest) or body.sessionKey (an open upload)', {
    field: contentHash === undefined ? 'body.contentHash' : 'body.sessionKey',
  });
}

const byPath = authedHandler('startUpload', async ({ caller, body }) => {
  const form = formOf(body);
  return json('open' in form ? await openUpload(deps, caller, form.open) : await startUpload(deps, caller, form.closed));
});
const byFile = authedHandler('startRevisionUpload', async ({ caller, params, body }) => {
  const form = formOf(body);
  return json('open' in form ? await openRevisionUpload(deps, caller, params.fileId, form.open) : await startRevisionUpload(deps, caller, params.fileId, form.closed));
});

export const handler = (event: APIGatewayProxyEventV2, context: Context) =>
  event.pathParameters?.fileId === undefined ? byPath(event, context) : byFile(event, context);
