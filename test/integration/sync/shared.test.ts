/**
 * Files shared with a user reach that user's synced folder, under "Shared with me/<owner email>/",
 * and follow the owner's changes; an editor's edits go back to the owner, a viewer's edits are kept
 * as the viewer's own file; names, places and deletes stay the owner's; a revoke removes the file.
 */
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { createUser } from '../harness/users';
import { moveFile, openSyncDevice, readText, removeFile, settle, treeOf, writeText, type SyncDevice } from './support/devices';

let target: Target;
beforeAll(async () => {
  target = await getTarget();
}, SETUP_TIMEOUT_MS);

describe('files shared with the user, in a synced folder', () => {
  let devices: SyncDevice[] = [];
  afterEach(() => devices.forEach((d) => d.close()));

  test(
    'arrive, follow the owner, take an editor’s edits back, keep a viewer’s edits aside, and leave on revoke',
    async () => {
      // Prepare
      const [ownerUser, friendUser] = [await createUser(target), await createUser(target)];
      devices = [await openSyncDevice(target, ownerUser, 'owner'), await openSyncDevice(target, friendUser, 'friend')];
      const [owner, friend] = devices;
      const shared = `Shared with me/${ownerUser.email}`;
      await writeText(owner, 'docs/plan.txt', 'plan v1');
      await writeText(owner, 'docs/poster.txt', 'poster v1');
      await writeText(owner, 'private.txt', 'mine only');
      await settle(devices);
      await owner.client.share('/docs/plan.txt', [friendUser.email], 'editor');
      await owner.client.share('/docs/poster.txt', [friendUser.email], 'viewer');

      // Act + Assess: the shares arrive; nothing else of the owner's does
      await settle(devices);
      expect(await treeOf(friend)).toEqual({ [`${shared}/plan.txt`]: 'plan v1', [`${shared}/poster.txt`]: 'poster v1' });

      // the owner's edit and rename follow
      await writeText(owner, 'docs/plan.txt', 'plan v2 by owner');
      await moveFile(owner, 'docs/poster.txt', 'docs/Poster final.txt');
      await settle(devices);
      expect(await treeOf(friend)).toEqual({ [`${shared}/Poster final.txt`]: 'poster v1', [`${shared}/plan.txt`]: 'plan v2 by owner' });

      // the editor's edit goes to the owner; a rename and a delete of shared files are undone
      await writeText(friend, `${shared}/plan.txt`, 'plan v3 by friend');
      await moveFile(friend, `${shared}/Poster final.txt`, `${shared}/mine now.txt`);
      await settle(devices);
      await removeFile(friend, `${shared}/plan.txt`);
      await settle(devices);
      expect(await readText(owner, 'docs/plan.txt')).toBe('plan v3 by friend');
      expect(await treeOf(friend)).toEqual({ [`${shared}/Poster final.txt`]: 'poster v1', [`${shared}/plan.txt`]: 'plan v3 by friend' });

      // a viewer's edit is kept as the viewer's own file; a new file in the shared folder stays local
      await writeText(friend, `${shared}/Poster final.txt`, 'poster scribbled on');
      await writeText(friend, `${shared}/note.txt`, 'local note');
      await settle(devices);
      const today = new Date().toISOString().slice(0, 10);
      expect(await treeOf(friend)).toEqual({
        [`Poster final (conflicted copy friend ${today}).txt`]: 'poster scribbled on',
        [`${shared}/Poster final.txt`]: 'poster v1',
        [`${shared}/note.txt`]: 'local note',
        [`${shared}/plan.txt`]: 'plan v3 by friend',
      });

      // a revoke removes the file (the held note stays)
      await owner.client.unshare('/docs/plan.txt', [friendUser.email]);
      await settle(devices);
      expect(Object.keys(await treeOf(friend)).sort()).toEqual([
        `Poster final (conflicted copy friend ${today}).txt`,
        `${shared}/Poster final.txt`,
        `${shared}/note.txt`,
      ]);
      expect(await treeOf(owner)).toEqual({ 'docs/Poster final.txt': 'poster v1', 'docs/plan.txt': 'plan v3 by friend', 'private.txt': 'mine only' });
    },
    120_000,
  );
});
