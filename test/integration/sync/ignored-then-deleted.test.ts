/**
 * Regression (issue 9): two devices sync the whole account; on device B a user ignored a folder,
 * deleted it to free the space, and un-ignored it. B then sent `delete remote keep/k.txt`, device
 * A deleted its copy, and the files were gone for good. Since: a path that becomes ignored leaves
 * B's synced set, so its local delete never reaches the service, and un-ignoring it downloads it again.
 */
import { rm, writeFile } from 'node:fs/promises';
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
