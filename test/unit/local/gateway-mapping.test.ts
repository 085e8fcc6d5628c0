import type * as http from 'node:http';
import { httpApiEvent } from '../../../local/api/event';
import { flattenClaims } from '../../../local/api/jwt-authorizer';
import { httpAnswer } from '../../../local/api/response';

/** Just the parts of a Node request the event builder reads. */
const request = (rawHeaders: string[], method = 'POST') =>
  ({ method, httpVersion: '1.1', rawHeaders, socket: { remoteAddress: '::ffff:127.0.0.1', localPort: 4080 } }) as unknown as http.IncomingMessage;

const event = (rawHeaders: string[], body: Buffer, rawQueryString = '') =>
  httpApiEvent({
    req: request(rawHeaders),
    body,
    rawPath: '/uploads/u1/commit',
    rawQueryString,
    routeKey: 'POST /uploads/{uploadId}/commit',
    pathParameters: { uploadId: 'u1' },
    apiId: 'api',
    requestId: 'req-1',
    now: new Date(Date.UTC(2026, 2, 12, 19, 3, 58)),
    jwt: { claims: { sub: 'owner-1' }, scopes: ['aws.cognito.signin.user.admin'] },
  });

test('a JSON request becomes a payload 2.0 event as API Gateway builds it', () => {
  // Act
  const e = event(['Host', '127.0.0.1:4080', 'Content-Type', 'application/json', 'X-Tag', 'a', 'x-tag', 'b', 'Cookie', 'c1=1', 'Cookie', 'c2=2'], Buffer.from('{"a":1}'), 'x=1&y=2&x=3');

  // Assess
  expect(e).toMatchObject({
    version: '2.0',
    routeKey: 'POST /uploads/{uploadId}/commit',
    rawPath: '/uploads/u1/commit',
    rawQueryString: 'x=1&y=2&x=3',
    cookies: ['c1=1', 'c2=2'],
    queryStringParameters: { x: '1,3', y: '2' },
    pathParameters: { uploadId: 'u1' },
    body: '{"a":1}',
    isBase64Encoded: false,
    requestContext: {
      http: { method: 'POST', path: '/uploads/u1/commit', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' },
      authorizer: { jwt: { claims: { sub: 'owner-1' }, scopes: ['aws.cognito.signin.user.admin'] } },
      stage: '$default',
      time: '12/Mar/2026:19:03:58 +0000',
      requestId: 'req-1',
    },
  });
  expect(e.headers).toMatchObject({ 'content-type': 'application/json', 'x-tag': 'a,b', 'x-forwarded-for': '127.0.0.1' });
  expect(e.headers).not.toHaveProperty('cookie');
});

test('a binary body arrives base64-encoded; no body means no body field', () => {
  // Act
  const binary = event(['Content-Type', 'application/octet-stream'], Buffer.from([0, 255]));
  const empty = event([], Buffer.alloc(0));

  // Assess
  expect(binary).toMatchObject({ body: 'AP8=', isBase64Encoded: true });
  expect(empty).not.toHaveProperty('body');
  expect(empty).not.toHaveProperty('queryStringParameters');
  expect(empty.isBase64Encoded).toBe(false);
});

test.each([
  ['a described response', { statusCode: 201, headers: { 'X-A': 1 }, body: 'hi' }, 201, { 'x-a': '1' }, 'hi'],
  ['a base64 body', { statusCode: 200, body: 'aGk=', isBase64Encoded: true }, 200, {}, 'hi'],
  ['cookies', { statusCode: 204, cookies: ['a=1'] }, 204, { 'set-cookie': ['a=1'] }, ''],
  ['a bare object (200 JSON)', { files: [] }, 200, { 'content-type': 'application/json' }, '{"files":[]}'],
  ['a bare string', 'hello', 200, { 'content-type': 'application/json' }, 'hello'],
  ['null', null, 200, { 'content-type': 'application/json' }, 'null'],
  ['a malformed status', { statusCode: 'x' }, 500, {}, '{"message":"Internal Server Error"}'],
  ['a non-string body', { statusCode: 200, body: { a: 1 } }, 500, {}, '{"message":"Internal Server Error"}'],
])('%s maps like API Gateway', (_, payload, status, headers, body) => {
  // Act
  const answer = httpAnswer({ ok: true, payload });

  // Assess
  expect(answer.status).toBe(status);
  expect(answer.headers).toMatchObject(headers);
  expect(answer.body.toString()).toBe(body);
});

test('a failed invocation is API Gateway 500 Internal Server Error', () => {
  expect(httpAnswer({ ok: false, errorType: 'Error', errorMessage: 'boom' })).toMatchObject({ status: 500 });
});

test('claims reach the function as strings, arrays as [a b]', () => {
  expect(flattenClaims({ sub: 'u', exp: 123, admin: true, groups: ['a', 'b'], nested: { x: 1 } })).toEqual({
    sub: 'u',
    exp: '123',
    admin: 'true',
    groups: '[a b]',
    nested: '{"x":1}',
  });
});
