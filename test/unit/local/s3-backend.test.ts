import type { IncomingMessage } from 'node:http';
import { conditionalPut } from '../../../local/emulators/conditional-writes';
import { s3BackendFromEnv } from '../../../local/emulators/s3-backend';

describe('s3BackendFromEnv', () => {
  it.each([
    [{}, 's3rver'],
    [{ TOTE_LOCAL_S3: '' }, 's3rver'],
    [{ TOTE_LOCAL_S3: 's3rver' }, 's3rver'],
    [{ TOTE_LOCAL_S3: 'radosgw' }, 'radosgw'],
  ])('reads %j as %s', (env, expected) => {
    expect(s3BackendFromEnv(env)).toBe(expected);
  });

  it('refuses a name it does not know, listing the ones it does', () => {
    expect(() => s3BackendFromEnv({ TOTE_LOCAL_S3: 'minio' })).toThrow('TOTE_LOCAL_S3=minio is not an S3 implementation the runtime knows (s3rver, radosgw)');
  });
});

describe('conditionalPut', () => {
  const request = (method: string, url: string, headers: Record<string, string> = { 'if-none-match': '*' }) =>
    ({ method, url, headers }) as unknown as IncomingMessage;

  it('names the object a conditional PutObject creates, with its key decoded', () => {
    expect(conditionalPut(request('PUT', '/tote-chunks/chunks/owner/a%20b%2Bc?X-Amz-Signature=00'))).toEqual({
      bucket: 'tote-chunks',
      key: 'chunks/owner/a b+c',
    });
  });

  it.each([
    ['an unconditional PUT', request('PUT', '/b/k', {})],
    ['a PUT conditional on an ETag', request('PUT', '/b/k', { 'if-none-match': '"abc"' })],
    ['a conditional GET', request('GET', '/b/k')],
    ['an upload part', request('PUT', '/b/k?partNumber=1&uploadId=u')],
    ['a bucket PUT', request('PUT', '/b')],
  ])('leaves out %s', (_, req) => {
    expect(conditionalPut(req)).toBeUndefined();
  });
});
