/**
 * The ways "missing here" could turn into "deleted everywhere", each as data: two devices of one
 * account hold the same files; something happens to device B's view of its folder (`act`); B syncs;
 * the service and device A must still hold every file (`kept`), or exactly what `expected` says;
 * then B's view is put right (`repair`), all settle, and every device holds `expected`.
 * Sync never turns "missing here" into a remote delete unless B saw the file synced and then saw it
 * deleted while it was in its synced set.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, rename, rm, symlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { STATE_FOLDER } from '../../../client/src/sync/ignore-rules';
import { editSelection } from '../../../client/src/sync/selection';
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { createUser, type TestUser } from '../harness/users';
import { moveFile, openSyncDevice, removeFile, settle, treeOf, writeText, type DeviceOptions, type SyncDevice } from './support/devices';

interface World {
  readonly a: SyncDevice;
  readonly b: SyncDevice;
  readonly user: TestUser;
  /** Runs once, right after B's next operation reaches the service or its disk. */
  afterNextEffect(hook: () => Promise<void>): void;
}

interface Hole {
  readonly name: string;
  readonly initial: Record<string, string>;
  /** B's engine options (the remote root it syncs, the delete guard's limits). */
  readonly b?: DeviceOptions;
  readonly act: (w: World) => Promise<void>;
  /** How B syncs while its view is wrong (default: one `syncOnce`). */
  readonly sync?: (w: World) => Promise<void>;
  readonly repair?: (w: World) => Promise<void>;
  /** A's tree once B synced with its view wrong (default: `initial`). */
  readonly whileWrong?: Record<string, string>;
  /** Every device's tree at the end (default: `initial`), as a device syncing the whole account sees it. */
  readonly expected?: Record<string, string>;
  /** Files only B holds at the end, besides `expected`. */
  readonly onlyB?: Record<string, string>;
}

const at = (device: SyncDevice, rel: string) => join(device.root, ...rel.split('/'));
const UNPRIVILEGED = 65534;

/**
 * `tote sync --once` on B by a user the file system holds to its permissions (root reads anything:
 * then the CLI runs as nobody, on a folder handed to nobody for the while).
 */
async function syncAsUser(b: SyncDevice): Promise<void> {
  const home = dirname(b.root);
  const asRoot = process.getuid?.() === 0;
  const args = ['--endpoint', b.client.endpoint, '--config-dir', join(home, 'config'), '--state-dir', join(home, 'state'), 'sync', b.root, '--once', '--device', b.name, '--settle', '0'];
  b.engine.close();
  if (asRoot) await chownTree(home, UNPRIVILEGED);
  try {
    const code = await new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [join(__dirname, '..', '..', '..', 'client', 'bin', 'tote.cjs'), ...args], {
        stdio: 'inherit',
        ...(asRoot ? { uid: UNPRIVILEGED, gid: UNPRIVILEGED } : {}),
        env: { ...process.env, HOME: home },
      });
      child.on('exit', resolve);
    });
    expect(code).toBe(0);
  } finally {
    if (asRoot) await chownTree(home, 0);
    await b.restart();
  }
}

async function chownTree(path: string, id: number): Promise<void> {
  await new Promise<void>((resolve, reject) => spawn('chown', ['-R', `${id}:${id}`, path]).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`chown exited ${code}`)))));
}

const remoteDeletes = (d: SyncDevice) => d.events.filter((e) => e.type === 'sync.op' && e.op === 'delete' && e.side === 'remote' && e.outcome === 'done');

const HOLES: Hole[] = [
  {
    name: 'a subfolder that cannot be read is not an empty one',
    initial: { 'locked/a.txt': 'a', 'locked/deep/b.txt': 'b', 'open.txt': 'o' },
    act: async ({ b }) => chmod(at(b, 'locked'), 0o000),
    sync: async ({ b }) => syncAsUser(b),
    repair: async ({ b }) => chmod(at(b, 'locked'), 0o755),
  },
  {
    name: 'a folder whose disk is unmounted (an empty folder where it was) stops the sync',
    initial: { 'a.txt': 'a', 'docs/b.txt': 'b' },
    act: async ({ b }) => {
      await rename(b.root, `${b.root}.mounted`);
      await mkdir(b.root);
    },
    sync: async ({ b }) => expect(b.syncOnce()).rejects.toMatchObject({ code: 'SYNC_ROOT_GONE' }),
    repair: async ({ b }) => {
      await rm(b.root, { recursive: true });
      await rename(`${b.root}.mounted`, b.root);
    },
  },
  {
    name: 'a folder emptied at once: the deletes wait, and the user has them restored',
    initial: { 'a.txt': 'a', 'b.txt': 'b', 'docs/c.txt': 'c', 'docs/d.txt': 'd' },
    b: { deleteGuard: { minFiles: 3, fraction: 0.5 } },
    act: async ({ b }) => {
      for (const rel of ['a.txt', 'b.txt', 'docs']) await rm(at(b, rel), { recursive: true });
    },
    sync: async ({ b }) => {
      await b.syncOnce();
      expect(b.engine.failures.get('')).toMatchObject({ code: 'DELETES_HELD' });
      expect(b.engine.selection.held()).toHaveLength(4);
    },
    repair: async ({ b }) => void editSelection(b.engine.selection, '/', { restoreDeletes: true }),
  },
  {
    name: 'a folder emptied at once: the deletes wait, and go ahead once the user allows them',
    initial: { 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c', 'keep.txt': 'k' },
    b: { deleteGuard: { minFiles: 3, fraction: 0.5 } },
    act: async ({ b }) => {
      for (const rel of ['a.txt', 'b.txt', 'c.txt']) await removeFile(b, rel);
    },
    repair: async ({ b }) => void editSelection(b.engine.selection, '/', { allowDeletes: true }),
    expected: { 'keep.txt': 'k' },
  },
  {
    name: 'a file replaced by a symbolic link',
    initial: { 'a.txt': 'a', 'b.txt': 'b' },
    act: async ({ b }) => {
      await removeFile(b, 'a.txt');
      await symlink('b.txt', at(b, 'a.txt'));
    },
    repair: async ({ b }) => removeFile(b, 'a.txt'),
  },
  {
    name: 'a file and a folder renamed to names the service refuses',
    initial: { 'a.txt': 'a', 'docs/b.txt': 'b', 'docs/c.txt': 'c' },
    act: async ({ b }) => {
      await moveFile(b, 'a.txt', 'a\u0001.txt');
      await moveFile(b, 'docs', 'docs\u0002');
    },
    repair: async ({ b }) => {
      await moveFile(b, 'a\u0001.txt', 'a.txt');
      await moveFile(b, 'docs\u0002', 'docs');
    },
  },
  {
    name: 'the folder’s sync state deleted: the folder is linked afresh and merged, nothing deleted',
    initial: { 'a.txt': 'a', 'docs/b.txt': 'b' },
    act: async ({ b }) => {
      b.engine.close();
      await rm(at(b, STATE_FOLDER), { recursive: true });
      await removeFile(b, 'a.txt');
    },
    sync: async ({ b }) => {
      await b.restart();
      await b.syncOnce();
    },
  },
  {
    name: 'a folder excluded here (tote sync --exclude), deleted here, then included again',
    initial: { 'Videos/v.mp4': 'video', 'Videos/2019/w.mp4': 'older', 'a.txt': 'a' },
    act: async ({ b }) => {
      editSelection(b.engine.selection, '/', { exclude: ['/Videos'] });
      await rm(at(b, 'Videos'), { recursive: true });
      editSelection(b.engine.selection, '/', { include: ['/Videos'] });
    },
  },
  {
    name: 'a file moved out of the remote root by another device while this one deletes it',
    initial: { 'Work/0.txt': 'first', 'Work/a.txt': 'moving out' },
    b: { remoteRoot: '/Work' },
    act: async (w) => {
      // B edits 0.txt (its first operation) and deletes a.txt; right after the edit reaches the
      // service, A moves a.txt out of /Work: B's delete names the revision it saw, and is refused.
      await writeText(w.b, '0.txt', 'edited on B');
      await removeFile(w.b, 'a.txt');
      w.afterNextEffect(async () => void (await w.a.client.mv('/Work/a.txt', '/Archive/a.txt')));
    },
    whileWrong: { 'Archive/a.txt': 'moving out', 'Work/0.txt': 'edited on B' },
    expected: { 'Archive/a.txt': 'moving out', 'Work/0.txt': 'edited on B' },
  },
  {
    name: 'an own file moved into the shared folder here stays here, and comes back to its place',
    initial: { 'a.txt': 'mine' },
    act: async ({ b, user }) => moveFile(b, 'a.txt', `Shared with me/${user.email}/a.txt`),
    onlyB: { 'Shared with me/{email}/a.txt': 'mine' },
  },
];

let target: Target;
beforeAll(async () => {
  target = await getTarget();
}, SETUP_TIMEOUT_MS);

describe.each(HOLES.map((h) => [h.name, h]))('missing here is not deleted everywhere: %s', (_, hole) => {
  let devices: SyncDevice[] = [];
  afterEach(() => devices.forEach((d) => d.close()));

  test(
    'the service and the other device keep the files; once repaired, every device holds them',
    async () => {
      // Prepare
      const user = await createUser(target);
      let hook: (() => Promise<void>) | undefined;
      const afterEffect = async () => {
        const run = hook;
        hook = undefined;
        await run?.();
      };
      const a = await openSyncDevice(target, user, 'A');
      const b = await openSyncDevice(target, user, 'B', { ...hole.b, afterEffect });
      devices = [a, b];
      const world: World = { a, b, user, afterNextEffect: (h) => void (hook = h) };
      for (const [rel, text] of Object.entries(hole.initial)) await writeText(a, rel, text);
      await settle(devices);
      // Act
      await hole.act(world);
      await (hole.sync ?? (({ b: device }) => device.syncOnce().then(() => undefined)))(world);
      // Assess: nothing deleted while B's view was wrong
      expect(remoteDeletes(b)).toEqual([]);
      await a.syncOnce();
      expect(await treeOf(a)).toEqual(hole.whileWrong ?? hole.initial);
      // Act: B's view put right
      await hole.repair?.(world);
      await settle(devices);
      // Assess: every device holds the files (B as the remote root it syncs sees them)
      const expected = hole.expected ?? hole.initial;
      expect(await treeOf(a)).toEqual(expected);
      const root = hole.b?.remoteRoot === undefined ? '' : `${hole.b.remoteRoot.slice(1)}/`;
      const asB = Object.fromEntries(Object.entries(expected).flatMap(([rel, text]) => (rel.startsWith(root) ? [[rel.slice(root.length), text]] : [])));
      const onlyB = Object.fromEntries(Object.entries(hole.onlyB ?? {}).map(([rel, text]) => [rel.replace('{email}', user.email), text]));
      expect(await treeOf(b)).toEqual({ ...asB, ...onlyB });
    },
    120_000,
  );
});
