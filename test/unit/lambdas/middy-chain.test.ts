import './env';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler as startUpload } from '../../../lambdas/api/start-upload';
import { handler as listFolder } from '../../../lambdas/api/list-folder';
import { handler as uploadUrls } from '../../../lambdas/api/upload-urls';
import { handler as health } from '../../../lambdas/api/health';
import { apiEvent, call, sha256 } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
beforeEach(() => ddb.reset());

const validBody = { path: '/a.txt', size: 0, contentHash: sha256(''), chunks: [] };

describe('the middy chain', () => {
  it('answers 400 VALIDATION_FAILED naming the offending field', async () => {
    const res = await call(startUpload, apiEvent({ body: { ...validBody, contentHash: 'not-a-hash' } }));

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(/^body\.contentHash /);
    expect(res.body.error.details.field).toBe('body.contentHash');
    expect(ddb.calls()).toHaveLength(0);
  });

  it('names a missing field, an unknown field and a nested array element', async () => {
    const { path: _omitted, ...withoutPath } = validBody;
    const missing = await call(startUpload, apiEvent({ body: withoutPath }));
    const unknown = await call(startUpload, apiEvent({ body: { ...validBody, owner: 'me' } }));
    const nested = await call(startUpload, apiEvent({ body: { ...validBody, chunks: [{ hash: sha256('x'), size: 0 }] } }));

    expect(missing.body.error.message).toBe('body.path is required');
    expect(unknown.body.error.message).toBe('body.owner is not allowed');
    expect(nested.body.error.message).toMatch(/^body\.chunks\[0\]\.size must be >= 1/);
  });

  it('lists the allowed values of an enumerated field', async () => {
    const res = await call(uploadUrls, apiEvent({ params: { uploadId: 'a'.repeat(32) }, body: { hashes: [sha256('x')], compression: 'brotli' } }));

    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('body.compression must be one of "none", "gzip"');
  });

  it('names bad query strings and path parameters too', async () => {
    const query = await call(listFolder, apiEvent({ query: { limit: 'ten' } }));
    const params = await call(uploadUrls, apiEvent({ params: { uploadId: 'NOT-HEX' }, body: { hashes: [sha256('x')] } }));

    expect(query.body.error.message).toMatch(/^query\.limit must match pattern/);
    expect(params.body.error.message).toMatch(/^params\.uploadId must match pattern/);
  });

  it('answers 400 for a body that is not JSON and 415 for another content type', async () => {
    const malformed = await call(startUpload, apiEvent({ rawBody: '{"path":' }));
    const wrongType = await call(startUpload, apiEvent({ rawBody: 'path=/a', contentType: 'application/x-www-form-urlencoded' }));

    expect(malformed.status).toBe(400);
    expect(malformed.body.error.code).toBe('VALIDATION_FAILED');
    expect(wrongType.status).toBe(415);
    expect(wrongType.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 401 UNAUTHORIZED without a verified sub claim, before looking at the body', async () => {
    const noClaims = await call(startUpload, apiEvent({ sub: null, rawBody: 'garbage' }));
    const oddSub = await call(startUpload, apiEvent({ sub: '../../etc', body: validBody }));

    expect(noClaims.status).toBe(401);
    expect(noClaims.body.error.code).toBe('UNAUTHORIZED');
    expect(oddSub.status).toBe(401);
  });

  it('hides the internals of unexpected failures behind 500 INTERNAL', async () => {
    ddb.on(GetCommand).rejects(new Error('User arn:aws:iam::123456789012:role/x is not authorized to access table FileMetadata'));

    const res = await call(startUpload, apiEvent({ body: validBody }));

    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
  });

  it('answers JSON that is never cached', async () => {
    const res = await call(health, apiEvent({ sub: null }));

    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({ 'content-type': 'application/json', 'cache-control': 'no-store' });
    expect(res.body).toEqual({
      status: 'ok',
      auth: { region: 'eu-west-1', userPoolId: 'eu-west-1_example', userPoolClientId: 'client-id-example', webClientId: 'web-client-id-example' },
    });
  });
});
