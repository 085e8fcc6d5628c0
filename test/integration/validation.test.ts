/**
 * Malformed and schema-invalid bodies are refused with 400 and a machine-readable code that names the
 * problem, by the handler's validator, before anything is stored.
 */
import { isErrorBody } from '@contract/errors';
import { api } from './harness/api';
import { sha256 } from './harness/uploads';
import { signedInUser } from './harness/fixture';

const fixture = signedInUser();

const startUpload = (rawBody: string) => api(fixture.target, 'POST', '/uploads', { token: fixture.user.accessToken, rawBody });

test('a body that is not JSON answers 400 with a code', async () => {
  // Act
  const answer = await startUpload('{"path": "/a.txt", ');

  // Assess
  expect(answer.status).toBe(400);
  expect(isErrorBody(answer.json)).toBe(true);
});

test.each([
  ['a required field is missing', { size: 0, contentHash: sha256(Buffer.alloc(0)), chunks: [] }, 'path'],
  ['a field has the wrong type', { path: '/a.txt', size: 'big', contentHash: sha256(Buffer.alloc(0)), chunks: [] }, 'size'],
  ['a hash is not SHA-256 hex', { path: '/a.txt', size: 0, contentHash: 'abc', chunks: [] }, 'contentHash'],
  ['an unknown field is present', { path: '/a.txt', size: 0, contentHash: sha256(Buffer.alloc(0)), chunks: [], owner: 'x' }, 'owner'],
])('%s: 400 VALIDATION_FAILED naming the field', async (_, body, field) => {
  // Act
  const answer = await startUpload(JSON.stringify(body));

  // Assess
  expect(answer.status).toBe(400);
  expect(answer.json).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  expect(answer.text).toContain(field);
});

test('a commit body with a negative revision answers 400 VALIDATION_FAILED', async () => {
  // Act
  const answer = await api(fixture.target, 'POST', `/uploads/${'0'.repeat(32)}/commit`, {
    token: fixture.user.accessToken,
    body: { expectedRevision: -1 },
  });

  // Assess
  expect(answer.status).toBe(400);
  expect(answer.json).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
});

describe('paths and media types: issue 10, hole 5', () => {
  const empty = { size: 0, contentHash: sha256(Buffer.alloc(0)), chunks: [] };

  test.each([
    ['a lone high surrogate', '/int/\ud800x'],
    ['a lone low surrogate (UTF-8 would make it the same key as the one above)', '/int/\udc00x'],
    ['DEL', '/int/a\u007fb'],
    ['a C1 control (NEXT LINE)', '/int/a\u0085b'],
    ['a C0 control', '/int/a\u0001b'],
  ])('a path with %s answers 400 INVALID_PATH and nothing is stored', async (_, path) => {
    // Act
    const answer = await startUpload(JSON.stringify({ path, ...empty }));
    const lookup = await api(fixture.target, 'GET', `/folders?path=${encodeURIComponent('/int')}`, { token: fixture.user.accessToken });

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: 'INVALID_PATH' } });
    expect(lookup.status).toBe(404);
  });

  test('a mimeType with CRLF answers 400 VALIDATION_FAILED naming mimeType', async () => {
    // Act
    const answer = await startUpload(JSON.stringify({ path: '/mime.txt', mimeType: 'text/plain\r\nX-Injected: 1', ...empty }));

    // Assess
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: 'VALIDATION_FAILED', details: { field: 'body.mimeType' } } });
  });

  test('a media type with token parameters is accepted', async () => {
    // Act
    const answer = await startUpload(JSON.stringify({ path: '/mime-ok.txt', mimeType: 'text/plain; charset=utf-8', ...empty }));

    // Assess
    expect(answer.status).toBe(200);
  });
});
