/**
 * Folders as one operation over HTTP: create, move, rename (also of case only), delete to the trash
 * and restore together; refusals with their codes; the change feed tells each as one entry. Each
 * test's time covers its setup and the first (cold) start of the folder handlers.
 */
import type { ErrorBody } from '@contract/errors';
import type { FileMetadata, ListFolderResponse, ListTrashResponse, RestoreTrashResponse } from '@contract/schemas';
import { api } from '../harness/api';
import { signedInUser } from '../harness/fixture';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { changesAfter, cursorNow, deleteFolder, emptyFiles, makeFolder, moveFolder } from './support';

const env = signedInUser();

const list = (path: string) => api<ListFolderResponse>(env.target, 'GET', `/folders?path=${encodeURIComponent(path)}`, { token: env.user.accessToken });
const lookup = (path: string) => api<FileMetadata>(env.target, 'GET', `/paths?path=${encodeURIComponent(path)}`, { token: env.user.accessToken });
const names = async (path: string) => (await list(path)).json.entries.map((e) => `${e.kind}:${e.name}`);

describe('folders', () => {
  test('an empty folder is made, listed, moved and removed', async () => {
    // Act
    const made = await makeFolder(env.target, env.user, '/empty/inner');
    const again = await makeFolder(env.target, env.user, '/empty/inner');
    const listed = await names('/empty');
    const moved = await moveFolder(env.target, env.user, '/empty/inner', '/empty/renamed');
    const afterMove = await names('/empty');
    const removed = await deleteFolder(env.target, env.user, '/empty/renamed');
    // Assess
    expect([made.status, again.status, moved.status, removed.status]).toEqual([200, 200, 200, 200]);
    expect(listed).toEqual(['folder:inner']);
    expect(afterMove).toEqual(['folder:renamed']);
    expect(await names('/empty')).toEqual([]);
  }, SETUP_TIMEOUT_MS);

  test('a folder moves with its files and subfolders in one request, told as one change', async () => {
    // Prepare
    await emptyFiles(env.target, env.user, ['/docs/a.txt', '/docs/sub/b.txt', '/docs/sub/deep/c.txt']);
    const before = await lookup('/docs/sub/b.txt');
    const cursor = await cursorNow(env.target, env.user);
    // Act
    const moved = await moveFolder(env.target, env.user, '/docs', '/archive/2026/docs');
    // Assess
    expect(moved.status).toBe(200);
    expect(moved.json).toMatchObject({ path: '/archive/2026/docs', fromPath: '/docs', done: true, files: 3 });
    const after = await lookup('/archive/2026/docs/sub/b.txt');
    expect(after.json).toMatchObject({ fileId: before.json.fileId, revision: before.json.revision + 1, contentHash: before.json.contentHash });
    expect((await lookup('/docs/sub/b.txt')).status).toBe(404);
    expect((await list('/docs')).status).toBe(404);
    expect(await names('/archive/2026/docs')).toEqual(['file:a.txt', 'folder:sub']);
    expect(await names('/archive/2026/docs/sub/deep')).toEqual(['file:c.txt']);
    expect((await changesAfter(env.target, env.user, cursor)).map((e) => [e.type, e.path, e.fromPath])).toEqual([
      ['moveFolder', '/archive/2026/docs', '/docs'],
    ]);
  }, SETUP_TIMEOUT_MS);

  test('a change of case only renames the folder in place', async () => {
    // Prepare
    await emptyFiles(env.target, env.user, ['/photos/x.jpg', '/photos/trip/y.jpg']);
    // Act
    const moved = await moveFolder(env.target, env.user, '/photos', '/Photos');
    // Assess
    expect(moved.status).toBe(200);
    expect((await lookup('/photos/trip/y.jpg')).json.path).toBe('/Photos/trip/y.jpg');
    expect(await names('/')).toContain('folder:Photos');
    expect(await names('/Photos')).toEqual(['folder:trip', 'file:x.jpg']);
  }, SETUP_TIMEOUT_MS);

  test('moves that would overwrite or nest a folder in itself are refused with their codes', async () => {
    // Prepare
    await emptyFiles(env.target, env.user, ['/left/l.txt', '/right/r.txt', '/plain.txt']);
    // Act
    const onto = await moveFolder(env.target, env.user, '/left', '/right');
    const ontoFile = await moveFolder(env.target, env.user, '/left', '/plain.txt');
    const inside = await moveFolder(env.target, env.user, '/left', '/left/deeper/left');
    const missing = await moveFolder(env.target, env.user, '/nowhere', '/elsewhere');
    const aFile = await moveFolder(env.target, env.user, '/plain.txt', '/elsewhere');
    const root = await moveFolder(env.target, env.user, '/', '/elsewhere');
    // Assess
    const code = (a: { json: unknown }) => (a.json as ErrorBody).error.code;
    expect([onto.status, code(onto)]).toEqual([409, 'PATH_CONFLICT']);
    expect([ontoFile.status, code(ontoFile)]).toEqual([409, 'PATH_CONFLICT']);
    expect([inside.status, code(inside)]).toEqual([400, 'MOVE_INTO_ITSELF']);
    expect([missing.status, aFile.status, root.status]).toEqual([404, 404, 400]);
    expect(await names('/left')).toEqual(['file:l.txt']);
    expect(await names('/right')).toEqual(['file:r.txt']);
  }, SETUP_TIMEOUT_MS);

  test('a folder delete puts its files in the trash as one group, told as one change, and restores together', async () => {
    // Prepare
    await emptyFiles(env.target, env.user, ['/old/1.txt', '/old/2.txt', '/old/sub/3.txt']);
    const cursor = await cursorNow(env.target, env.user);
    // Act
    const removed = await deleteFolder(env.target, env.user, '/old');
    const trash = await api<ListTrashResponse>(env.target, 'GET', '/trash', { token: env.user.accessToken });
    const restored = await api<RestoreTrashResponse>(env.target, 'POST', '/trash/restore', {
      token: env.user.accessToken,
      body: { groupId: removed.json.trashGroup },
    });
    // Assess
    expect(removed.json).toMatchObject({ path: '/old', done: true, files: 3 });
    const group = trash.json.entries.filter((e) => e.groupId === removed.json.trashGroup);
    expect(group.map((e) => e.path).sort()).toEqual(['/old/1.txt', '/old/2.txt', '/old/sub/3.txt']);
    expect(restored.json.results.every((r) => r.ok)).toBe(true);
    expect(await names('/old')).toEqual(['file:1.txt', 'file:2.txt', 'folder:sub']);
    const feed = await changesAfter(env.target, env.user, cursor);
    expect(feed[0]).toMatchObject({ type: 'deleteFolder', path: '/old' });
    expect(feed.slice(1).map((e) => e.type)).toEqual(['put', 'put', 'put']);
  }, SETUP_TIMEOUT_MS);

  test('the same move sent twice at once is done once', async () => {
    // Prepare
    await emptyFiles(env.target, env.user, ['/busy/a.txt', '/busy/b/c.txt']);
    const cursor = await cursorNow(env.target, env.user);
    // Act
    const answers = await Promise.all([moveFolder(env.target, env.user, '/busy', '/calm'), moveFolder(env.target, env.user, '/busy', '/calm')]);
    // Assess: the second carried the move on with the first, or found it finished (404: nothing at /busy any more)
    const statuses = answers.map((a) => a.status);
    expect(statuses).toContain(200);
    expect(statuses.every((s) => s === 200 || s === 404)).toBe(true);
    expect((await changesAfter(env.target, env.user, cursor)).map((e) => e.type)).toEqual(['moveFolder']);
    expect(await names('/calm')).toEqual(['file:a.txt', 'folder:b']);
    expect((await list('/busy')).status).toBe(404);
  }, SETUP_TIMEOUT_MS);
});
