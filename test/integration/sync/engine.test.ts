/**
 * Sync behaviours that are not about a final tree alone: a device's own changes do not come back
 * to it through the change feed, a pass after a poll does not read the feed again, a file being written waits, a file missing from a folder changed
 * within FOLDER_SETTLE_MS is no delete yet (whatever the adaptive write settle's minimum), and a
 * folder synced with a remote subfolder sees only that subfolder.
 */
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ListFolderResponse } from '@contract/schemas';
import { FOLDER_SETTLE_MS } from '../../../client/src/sync/blind-spots';
import { ADAPTIVE_SETTLE } from '../../../client/src/sync/write-settle';
import { api } from '../harness/api';
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { createUser } from '../harness/users';
import { moveFile, openSyncDevice, removeFile, settle, treeOf, writeText, type SyncDevice } from './support/devices';

let target: Target;
beforeAll(async () => {
  target = await getTarget();
}, SETUP_TIMEOUT_MS);

const TEST_TIMEOUT_MS = 60_000;

describe('sync engine', () => {
  let devices: SyncDevice[] = [];
  afterEach(() => devices.forEach((d) => d.close()));

  test(
    'does not echo: a device’s own uploads, moves and deletes come back through the feed as nothing to do',
    async () => {
      // Prepare
      const user = await createUser(target);
      devices = [await openSyncDevice(target, user, 'A')];
      const [a] = devices;
      await writeText(a, 'notes/today.txt', 'draft');
      await a.engine.pass();
      await moveFile(a, 'notes/today.txt', 'notes/done.txt');
      await a.engine.pass();
      await writeText(a, 'scratch.txt', 'short-lived');
      await a.engine.pass();
      await removeFile(a, 'scratch.txt');
      await a.engine.pass();
      // Act
      const next = await a.engine.pass();
      // Assess
      expect(next).toMatchObject({ pulled: 0, done: 0, skipped: 0, failed: 0, deferred: [] });
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'a pass right after the daemon\'s poll plans with that read of the feed: one request, and the change it brought is synced',
    async () => {
      // Prepare
      const user = await createUser(target);
      let feedReads = 0;
      const counting: typeof fetch = (input, init) => {
        if (new URL(input instanceof Request ? input.url : String(input)).pathname.endsWith('/changes')) feedReads++;
        return fetch(input, init);
      };
      devices = [await openSyncDevice(target, user, 'A'), await openSyncDevice(target, user, 'B', {}, counting)];
      const [a, b] = devices;
      await b.engine.pass();
      await writeText(a, 'note.txt', 'from A');
      await a.engine.pass();
      feedReads = 0;
      // Act
      const polled = await b.engine.pull();
      const planned = await b.engine.pass();
      const readsForBoth = feedReads;
      await b.engine.pass();
      // Assess
      expect(polled).toBe(1);
      expect(planned).toMatchObject({ pulled: 1, done: 1, failed: 0 });
      expect(await treeOf(b)).toEqual({ 'note.txt': 'from A' });
      expect(readsForBoth).toBe(1);
      // A pass that no poll preceded reads the feed itself.
      expect(feedReads).toBe(2);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'leaves a file that is still being written alone until it has settled',
    async () => {
      // Prepare
      const user = await createUser(target);
      devices = [await openSyncDevice(target, user, 'A', { settleMs: 60_000 })];
      const [a] = devices;
      await writeText(a, 'recording.wav', 'first seconds of audio');
      // Act
      const early = await a.engine.pass();
      await a.restart({ settleMs: 0 });
      const settled = await a.engine.pass();
      // Assess
      expect(early).toMatchObject({ done: 0, deferred: ['recording.wav'] });
      expect(early.settlesAt).toBeGreaterThan(Date.now());
      expect(settled).toMatchObject({ done: 1, deferred: [] });
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'under the default (adaptive) settle, a delete waits until its folder has been left alone for FOLDER_SETTLE_MS, not the write minimum',
    async () => {
      // Prepare: the engine's clock is set against the folder's time, so a slow pass cannot blur the window.
      const user = await createUser(target);
      let clock = Date.now();
      devices = [await openSyncDevice(target, user, 'A', { settleMs: undefined, now: () => clock })];
      const [a] = devices;
      await writeText(a, 'drafts/letter.txt', 'dear');
      clock = Date.now() + 60_000;
      await a.syncOnce();
      await removeFile(a, 'drafts/letter.txt');
      // The folder's last change as the scan reads it (mtime or ctime, the later).
      const folder = await stat(join(a.root, 'drafts'), { bigint: true });
      const folderChanged = Number((folder.mtimeNs > folder.ctimeNs ? folder.mtimeNs : folder.ctimeNs) / 1_000_000n);
      const remoteHas = async () => {
        const listed = await api<ListFolderResponse>(target, 'GET', `/folders?path=${encodeURIComponent('/drafts')}`, { token: user.accessToken });
        expect([200, 404]).toContain(listed.status);
        return listed.status === 200 ? listed.json.entries.map((e) => e.path) : [];
      };
      // Act
      clock = folderChanged + (ADAPTIVE_SETTLE.minMs + FOLDER_SETTLE_MS) / 2;
      const early = await a.engine.pass();
      const keptEarly = await remoteHas();
      clock = folderChanged + FOLDER_SETTLE_MS + 100;
      const settled = await a.engine.pass();
      // Assess
      expect(early).toMatchObject({ done: 0, deferred: ['drafts/letter.txt'] });
      expect(keptEarly).toEqual(['/drafts/letter.txt']);
      expect(settled).toMatchObject({ done: 1, deferred: [] });
      expect(await remoteHas()).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'a folder synced with a remote subfolder sees that subfolder only; a file moved out of it is gone here',
    async () => {
      // Prepare
      const user = await createUser(target);
      devices = [await openSyncDevice(target, user, 'work', { remoteRoot: '/Work' }), await openSyncDevice(target, user, 'all')];
      const [work, all] = devices;
      await writeText(work, 'report.txt', 'quarterly');
      await writeText(all, 'Work/notes.txt', 'for work');
      await writeText(all, 'private.txt', 'not for work');
      await settle(devices);
      const before = { work: await treeOf(work), all: await treeOf(all) };
      // Act
      await moveFile(all, 'Work/report.txt', 'Archive/report.txt');
      await settle(devices);
      // Assess
      expect(before).toEqual({
        work: { 'notes.txt': 'for work', 'report.txt': 'quarterly' },
        all: { 'Work/notes.txt': 'for work', 'Work/report.txt': 'quarterly', 'private.txt': 'not for work' },
      });
      expect(await treeOf(work)).toEqual({ 'notes.txt': 'for work' });
      await expect(access(join(all.root, 'Archive', 'report.txt'))).resolves.toBeUndefined();
    },
    TEST_TIMEOUT_MS,
  );
});
