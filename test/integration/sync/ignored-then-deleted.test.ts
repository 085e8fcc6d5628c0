/**
 * Regression (issue 9): two devices sync the whole account; on device B a user ignored a folder,
 * deleted it to free the space, and un-ignored it. B then sent `delete remote keep/k.txt`, device
 * A deleted its copy, and the files were gone for good. Since: a path that becomes ignored leaves
 * B's synced set, so its local delete never reaches the service, and un-ignoring it downloads it again.
 * And `.toteignore` was itself synced, so ignoring on one device stopped every device receiving the
 * folder; since, rules are per device, and a `.toteignore` an older client put on the service stays
 * there as a file no device downloads or applies.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { createUser } from '../harness/users';
import { openSyncDevice, settle, treeOf, writeText, type SyncDevice } from './support/devices';

let target: Target;
beforeAll(async () => {
  target = await getTarget();
}, SETUP_TIMEOUT_MS);

describe('regression: ignore a folder, delete it, un-ignore it (issue 9)', () => {
  let devices: SyncDevice[] = [];
  afterEach(() => devices.forEach((d) => d.close()));

  test(
    'keeps every file on the service and on the other device, and brings them back to the device that deleted them',
    async () => {
      // Prepare: two devices of one account, keep/ synced on both
      const user = await createUser(target);
      devices = [await openSyncDevice(target, user, 'A'), await openSyncDevice(target, user, 'B')];
      const [a, b] = devices;
      await writeText(a, 'keep/k.txt', 'precious');
      await writeText(a, 'keep/deep/v.bin', 'a video, say');
      await writeText(a, 'other.txt', 'unrelated');
      await settle(devices);
      const synced = await treeOf(a);
      expect(await treeOf(b)).toEqual(synced);

      // Act: on B, as the user typed it, with B's sync running between the commands
      await writeFile(join(b.root, '.toteignore'), 'keep/\n'); // echo 'keep/' > .toteignore
      await b.syncOnce();
      await rm(join(b.root, 'keep'), { recursive: true }); //      rm -r keep
      await b.syncOnce();
      await rm(join(b.root, '.toteignore')); //                     rm .toteignore
      await settle(devices);

      // Assess: nothing was deleted anywhere; B has the folder back
      const deletes = b.events.filter((e) => e.type === 'sync.op' && e.op === 'delete' && e.side === 'remote');
      expect(deletes).toEqual([]);
      expect(await treeOf(a)).toEqual(synced);
      expect(await treeOf(b)).toEqual(synced);
      expect((await a.client.ls('/keep')).map((e) => e.name).sort()).toEqual(['deep', 'k.txt']);
    },
    120_000,
  );
});

describe('regression: .toteignore was synced, so the rules of one device applied everywhere (issue 9)', () => {
  let devices: SyncDevice[] = [];
  afterEach(() => devices.forEach((d) => d.close()));

  test(
    'a .toteignore on the service from an older client stays there, is not downloaded and rules no device; each device keeps its own',
    async () => {
      // Prepare: the account holds /.toteignore (`docs/`) as an older client synced it
      const user = await createUser(target);
      devices = [await openSyncDevice(target, user, 'A'), await openSyncDevice(target, user, 'B')];
      const [a, b] = devices;
      const old = join(await mkdtemp(join(tmpdir(), 'tote-old-ignore-')), '.toteignore');
      await writeFile(old, 'docs/\n');
      await a.client.put(old, '/.toteignore');
      // Act: A has rules of its own (`media/`); both sync
      await writeText(a, '.toteignore', 'media/\n');
      await writeText(a, 'docs/a.txt', 'docs reach every device');
      await writeText(a, 'media/m.txt', 'media stay on A');
      await settle(devices);
      // Assess
      expect(await treeOf(a)).toEqual({ '.toteignore': 'media/\n', 'docs/a.txt': 'docs reach every device', 'media/m.txt': 'media stay on A' });
      expect(await treeOf(b)).toEqual({ 'docs/a.txt': 'docs reach every device' });
      const top = await a.client.ls('/');
      expect(top.map((e) => e.name).sort()).toEqual(['.toteignore', 'docs']);
      expect(top.find((e) => e.name === '.toteignore')).toMatchObject({ kind: 'file', size: 'docs/\n'.length, revision: 1 });
    },
    120_000,
  );
});
