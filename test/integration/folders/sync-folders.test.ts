/**
 * Folder changes across two devices of one account, through the real sync engine: a folder renamed,
 * moved or deleted with `tote mv` / `tote rm -r` (the client's calls) reaches the other device as one
 * change of the feed, which it applies as local moves (no byte is fetched again) or deletes; a folder
 * of 1,000 files is renamed with one request. `TOTE_FOLDER_FILES` sets that size (10000 measures the
 * issue's figure; the test prints requests and seconds).
 */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fetch } from '../../../client/src/core/api/http';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { getTarget, type Target } from '../harness/target';
import { createUser, type TestUser } from '../harness/users';
import { moveFile, openSyncDevice, treeOf, writeText, type SyncDevice } from '../sync/support/devices';
import { changesAfter, cursorNow, emptyFiles } from './support';

const LARGE = Number(process.env.TOTE_FOLDER_FILES ?? 1000);
const TEST_TIMEOUT_MS = 120_000 + LARGE * 60;

let target: Target;
let user: TestUser;
let a: SyncDevice;
let b: SyncDevice;
/** Requests device A's client sent, by method and path. */
const sent: string[] = [];

const counting: Fetch = (input, init) => {
  const url = new URL(String(input instanceof Request ? input.url : input));
  sent.push(`${init?.method ?? 'GET'} ${url.pathname}`);
  return fetch(input, init);
};

beforeAll(async () => {
  target = await getTarget();
  user = await createUser(target);
  [a, b] = await Promise.all([openSyncDevice(target, user, 'folders-a', {}, counting), openSyncDevice(target, user, 'folders-b')]);
}, SETUP_TIMEOUT_MS);

afterAll(() => {
  a?.close();
  b?.close();
});

const opsOf = (device: SyncDevice, op: string, side: string) => device.events.filter((e) => e.type === 'sync.op' && e.op === op && e.side === side && e.outcome === 'done').length;
const downloadsOf = (device: SyncDevice) => device.events.filter((e) => e.type === 'sync.op' && e.op === 'add' && e.side === 'local' && e.outcome === 'done').length;

describe('folders across devices', () => {
  test('a folder renamed, moved and deleted on one device follows on the other', async () => {
    // Prepare
    await writeText(a, 'proj/readme.md', 'read me');
    await writeText(a, 'proj/src/main.ts', 'main');
    await writeText(a, 'proj/src/deep/util.ts', 'util');
    await a.syncOnce();
    await b.syncOnce();
    const synced = await treeOf(b);
    const fetchedBefore = downloadsOf(b);
    // Act: rename, then move into another folder, each with the client's one call, then delete
    await a.client.mvFolder('/proj', '/project');
    await b.syncOnce();
    const renamed = await treeOf(b);
    await a.client.mkdir('/archive');
    await a.client.mvFolder('/project', '/archive/');
    await b.syncOnce();
    const moved = await treeOf(b);
    const fetchedAfterMoves = downloadsOf(b);
    await a.client.rmFolder('/archive/project');
    await b.syncOnce();
    await a.syncOnce();
    // Assess
    expect(synced).toEqual({ 'proj/readme.md': 'read me', 'proj/src/deep/util.ts': 'util', 'proj/src/main.ts': 'main' });
    expect(renamed).toEqual({ 'project/readme.md': 'read me', 'project/src/deep/util.ts': 'util', 'project/src/main.ts': 'main' });
    expect(moved).toEqual({ 'archive/project/readme.md': 'read me', 'archive/project/src/deep/util.ts': 'util', 'archive/project/src/main.ts': 'main' });
    expect(fetchedAfterMoves).toBe(fetchedBefore);
    expect(await treeOf(b)).toEqual({});
    expect(await treeOf(a)).toEqual({});
  }, TEST_TIMEOUT_MS);

  test('a folder renamed and moved in a synced folder goes up as one folder move each and comes down as one rename of the directory', async () => {
    // Prepare
    await writeText(a, 'notes/one.md', 'one');
    await writeText(a, 'notes/sub/two.md', 'two');
    await a.syncOnce();
    await b.syncOnce();
    const fetchedBefore = downloadsOf(b);
    const localFolderMovesBefore = opsOf(b, 'moveFolder', 'local');
    sent.length = 0;
    // Act: renamed on A's disk, then moved into another folder there
    await moveFile(a, 'notes', 'journal');
    await a.syncOnce();
    const renameRequests = sent.filter((s) => s.endsWith('/move'));
    await b.syncOnce();
    const renamed = await treeOf(b);
    await moveFile(a, 'journal', 'archive/journal');
    await a.syncOnce();
    await b.syncOnce();
    // Assess
    expect(renameRequests).toEqual(['POST /folders/move']);
    expect(renamed).toEqual({ 'journal/one.md': 'one', 'journal/sub/two.md': 'two' });
    expect(await treeOf(b)).toEqual({ 'archive/journal/one.md': 'one', 'archive/journal/sub/two.md': 'two' });
    expect(opsOf(a, 'moveFolder', 'remote')).toBe(2);
    expect(opsOf(b, 'moveFolder', 'local') - localFolderMovesBefore).toBe(2);
    expect(downloadsOf(b)).toBe(fetchedBefore);
  }, TEST_TIMEOUT_MS);

  test(`a folder of ${LARGE} files is renamed with one request and reaches the other device as one change`, async () => {
    // Prepare
    const paths = Array.from({ length: LARGE }, (_, i) => `/big/d${i % 10}/f${i}.txt`);
    await emptyFiles(target, user, paths);
    await b.syncOnce();
    const cursor = await cursorNow(target, user);
    sent.length = 0;
    // Act
    const started = performance.now();
    const answer = await a.client.mvFolder('/big', '/big-renamed');
    const renamedAt = performance.now();
    await b.syncOnce();
    const arrivedAt = performance.now();
    // Assess
    const moveRequests = sent.filter((s) => s === 'POST /folders/move').length;
    const feed = await changesAfter(target, user, cursor);
    process.stdout.write(
      `folder rename of ${LARGE} files: ${sent.length} request(s) (${moveRequests} POST /folders/move), ${((renamedAt - started) / 1000).toFixed(2)} s to rename, ` +
        `${((arrivedAt - started) / 1000).toFixed(2)} s until the other device has it (one sync pass)\n`,
    );
    expect(answer).toMatchObject({ path: '/big-renamed', done: true, files: LARGE });
    expect(moveRequests).toBe(1);
    expect(feed.map((e) => e.type)).toEqual(['moveFolder']);
    const local = (await readdir(join(b.root, 'big-renamed'), { recursive: true })).filter((p) => p.endsWith('.txt'));
    expect(local.length).toBe(LARGE);
    await expect(readdir(join(b.root, 'big'))).rejects.toThrow();
  }, TEST_TIMEOUT_MS);
});
