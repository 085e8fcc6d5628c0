/**
 * Versions and the trash through the real client, as a user meets them: a delete goes to the trash and
 * comes back byte-identical (beside its path when that is taken, never over it, and unshared); three
 * edits make four versions and the first comes back as a fifth; a sync delete on one device is in the
 * trash, restorable on another. Who made each change, and from which device, is recorded.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { api } from '../harness/api';
import { signedInUser } from '../harness/fixture';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { createUser } from '../harness/users';
import { openDevice } from '../client/devices';
import { randomFile, sha256File } from '../client/files';
import { openSyncDevice, removeFile, writeText } from '../sync/support/devices';

const MiB = 1024 * 1024;
const TEST_TIMEOUT_MS = 120_000;
const DAY_MS = 24 * 3600 * 1000;
const ctx = signedInUser();

/** A local copy of what `remote` holds now, downloaded by `device`. */
async function downloaded(device: Awaited<ReturnType<typeof openDevice>>, remote: string, name: string): Promise<string> {
  const local = join(device.stateDir, '..', name);
  await device.client.get(remote, local, { overwrite: true });
  return sha256File(local);
}

describe('the trash', () => {
  test(
    'a deleted file is listed with its device and expiry, and comes back byte-identical on another device',
    async () => {
      // Prepare
      const source = await randomFile(3 * MiB + 17);
      const laptop = await openDevice(ctx.target, ctx.user, 'laptop', { deviceName: 'laptop' });
      const desktop = await openDevice(ctx.target, ctx.user, 'desktop', { deviceName: 'desktop' });
      await laptop.client.put(source, '/trash/report.bin');

      // Act
      const deleted = await laptop.client.rm('/trash/report.bin');
      const listed = (await desktop.client.trash()).filter((e) => e.fileId === deleted.fileId);
      const restored = await desktop.client.restore('/trash/report.bin');

      // Assess
      expect(Date.parse(deleted.restorableUntil) - Date.parse(deleted.updatedAt)).toBe(30 * DAY_MS);
      expect(listed).toEqual([
        expect.objectContaining({ path: '/trash/report.bin', size: 3 * MiB + 17, device: 'laptop', deletedBy: { userId: ctx.user.sub, email: ctx.user.email }, expiresAt: deleted.restorableUntil }),
      ]);
      expect(restored).toMatchObject({ fromPath: '/trash/report.bin', renamed: false, formerShares: [], file: { path: '/trash/report.bin', status: 'uploaded' } });
      expect(await downloaded(desktop, '/trash/report.bin', 'report.bin')).toBe(await sha256File(source));
      expect((await desktop.client.trash()).filter((e) => e.fileId === deleted.fileId)).toEqual([]);
      laptop.client.close();
      desktop.client.close();
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'a restore never overwrites: a file now at the path stays, the restored one comes back beside it',
    async () => {
      // Prepare
      const device = await openDevice(ctx.target, ctx.user, 'taken');
      const first = join(device.stateDir, '..', 'first.txt');
      const second = join(device.stateDir, '..', 'second.txt');
      await writeFile(first, 'the deleted one\n');
      await writeFile(second, 'the one put there since\n');
      await device.client.put(first, '/taken/notes.txt');
      await device.client.rm('/taken/notes.txt');
      await device.client.put(second, '/taken/notes.txt');

      // Act
      const restored = await device.client.restore('/taken/notes.txt');

      // Assess
      expect(restored).toMatchObject({ fromPath: '/taken/notes.txt', renamed: true, file: { path: '/taken/notes (restored).txt' } });
      expect(await downloaded(device, '/taken/notes.txt', 'now.txt')).toBe(await sha256File(second));
      expect(await downloaded(device, '/taken/notes (restored).txt', 'back.txt')).toBe(await sha256File(first));
      device.client.close();
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'a restored file is not shared again: the collaborator keeps getting 404, the owner is told who it was shared with',
    async () => {
      // Prepare
      const bob = await createUser(ctx.target);
      const device = await openDevice(ctx.target, ctx.user, 'sharer');
      const local = await randomFile(2048);
      const file = (await device.client.put(local, '/shared-then-deleted.bin')).files[0].file;
      await device.client.share('/shared-then-deleted.bin', [bob.email], 'editor');
      await device.client.rm('/shared-then-deleted.bin');

      // Act
      const restored = await device.client.restore(`id:${file.fileId}`);
      const asBob = await api(ctx.target, 'GET', `/files/${file.fileId}`, { token: bob.accessToken });

      // Assess
      expect(restored.formerShares).toEqual([{ userId: bob.sub, email: bob.email, role: 'editor' }]);
      expect(asBob.status).toBe(404);
      expect(await device.client.collaborators('/shared-then-deleted.bin')).toEqual([]);
      device.client.close();
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'a file deleted by sync on one device lands in the trash and is restored from another',
    async () => {
      // Prepare
      const user = await createUser(ctx.target);
      const a = await openSyncDevice(ctx.target, user, 'device-a');
      const b = await openDevice(ctx.target, user, 'device-b');
      await writeText(a, 'docs/plan.txt', 'the plan\n');
      await a.syncOnce();

      // Act
      await removeFile(a, 'docs/plan.txt');
      await a.syncOnce();
      const [entry] = await b.client.trash();
      const restored = await b.client.restore('/docs/plan.txt');
      await a.syncOnce();

      // Assess
      expect(entry).toMatchObject({ path: '/docs/plan.txt', device: 'device-a' });
      expect(restored.file.path).toBe('/docs/plan.txt');
      expect(await downloaded(b, '/docs/plan.txt', 'plan.txt')).toBe(await sha256File(join(a.root, 'docs', 'plan.txt')));
      a.close();
      b.client.close();
    },
    TEST_TIMEOUT_MS,
  );
});

describe('versions', () => {
  test(
    'three edits make four versions, each with its device; restoring the first brings its bytes back as the fifth',
    async () => {
      // Prepare
      const laptop = await openDevice(ctx.target, ctx.user, 'v-laptop', { deviceName: 'laptop' });
      const phone = await openDevice(ctx.target, ctx.user, 'v-phone', { deviceName: 'phone' });
      const versions = await Promise.all([1, 2, 3, 4].map((i) => randomFile(64 * 1024 * i, `v${i}.bin`)));
      for (const [i, local] of versions.entries()) await (i % 2 === 0 ? laptop : phone).client.put(local, '/versions/edited.bin');

      // Act
      const before = await laptop.client.versions('/versions/edited.bin');
      const restored = await phone.client.restoreVersion('/versions/edited.bin', 1);
      const after = await laptop.client.versions('/versions/edited.bin');

      // Assess
      expect(before.versions.map((v) => [v.revision, v.current, v.device, v.changedBy?.email])).toEqual([
        [4, true, 'phone', ctx.user.email],
        [3, false, 'laptop', ctx.user.email],
        [2, false, 'phone', ctx.user.email],
        [1, false, 'laptop', ctx.user.email],
      ]);
      expect(before.versions[1].expiresAt).toBe(new Date(Date.parse(before.versions[0].createdAt) + 30 * DAY_MS).toISOString());
      expect(restored).toMatchObject({ revision: 5, size: 64 * 1024, contentHash: before.versions[3].contentHash });
      expect(after.versions[0]).toMatchObject({ revision: 5, current: true, restoredFrom: 1, device: 'phone' });
      expect(after.versions).toHaveLength(5);
      expect(await downloaded(laptop, '/versions/edited.bin', 'edited.bin')).toBe(await sha256File(versions[0]));
      laptop.client.close();
      phone.client.close();
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'a viewer may list versions but not restore one',
    async () => {
      // Prepare
      const viewer = await createUser(ctx.target);
      const owner = await openDevice(ctx.target, ctx.user, 'owner');
      const file = (await owner.client.put(await randomFile(1024), '/versions/viewed.bin')).files[0].file;
      await owner.client.put(await randomFile(1024), '/versions/viewed.bin');
      await owner.client.share('/versions/viewed.bin', [viewer.email], 'viewer');

      // Act
      const listed = await api(ctx.target, 'GET', `/files/${file.fileId}/versions`, { token: viewer.accessToken });
      const restore = await api(ctx.target, 'POST', `/files/${file.fileId}/versions/1/restore`, { token: viewer.accessToken, body: {} });

      // Assess
      expect(listed.status).toBe(200);
      expect((listed.json as { versions: unknown[] }).versions).toHaveLength(2);
      expect(restore.status).toBe(403);
      owner.client.close();
    },
    SETUP_TIMEOUT_MS,
  );
});
