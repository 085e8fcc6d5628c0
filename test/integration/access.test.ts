/**
 * A file is the owner's alone (until sharing exists): another user naming its id gets the same 404 as
 * for an id that does not exist, so ids reveal nothing, and cannot change it either.
 */
import { randomUUID } from 'node:crypto';
import type { FileMetadata } from '@contract/schemas';
import { api } from './harness/api';
import { getTarget, type Target } from './harness/target';
import { testFile, uploadFile } from './harness/uploads';
import { createUser, type TestUser } from './harness/users';
import { SETUP_TIMEOUT_MS } from './harness/timeouts';

let target: Target;
let owner: TestUser;
let stranger: TestUser;
let file: FileMetadata;

beforeAll(async () => {
  target = await getTarget();
  [owner, stranger] = await Promise.all([createUser(target), createUser(target)]);
  file = await uploadFile(target, owner, testFile('/private/diary.txt', [2048]));
}, SETUP_TIMEOUT_MS);

test.each([
  { method: 'GET', path: '/files/{id}', body: undefined },
  { method: 'GET', path: '/files/{id}/download', body: undefined },
  { method: 'DELETE', path: '/files/{id}?expectedRevision=1', body: undefined },
  { method: 'POST', path: '/files/{id}/move', body: { toPath: '/stolen.txt' } },
])("$method $path on another user's file answers 404 exactly as for an unknown id", async ({ method, path, body }) => {
  // Act
  const theirs = await api(target, method, path.replace('{id}', file.fileId), { token: stranger.accessToken, body });
  const unknown = await api(target, method, path.replace('{id}', randomUUID()), { token: stranger.accessToken, body });

  // Assess
  expect(theirs.status).toBe(404);
  expect(theirs.json).toMatchObject({ error: { code: 'NOT_FOUND' } });
  expect(theirs.json).toEqual(unknown.json);
});

test("the owner's file is untouched by the stranger's attempts", async () => {
  // Act
  const answer = await api<FileMetadata>(target, 'GET', `/files/${file.fileId}`, { token: owner.accessToken });

  // Assess
  expect(answer.status).toBe(200);
  expect(answer.json).toMatchObject({ fileId: file.fileId, path: '/private/diary.txt', revision: 1, status: 'uploaded' });
});
