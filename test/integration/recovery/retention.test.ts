/**
 * Retention and the collector on the local runtime, with the clock injected the way EventBridge
 * hands it over (the scheduled event's `time`): nothing is freed within the retention period or the
 * grace period; once both have passed the trash and old versions are purged and their bytes freed,
 * except the chunks a live file still shares with them (dedup), and the current content of live files
 * stays downloadable; once the last file goes, the namespace's bytes in S3 (every version of every
 * chunk and manifest object) go to zero. Restoring an old version stores no new bytes.
 */
import { join } from 'node:path';
import { LIMITS } from '@contract/limits';
import { signedInUser } from '../harness/fixture';
import { createUser } from '../harness/users';
import { targetHasRealS3 } from '../harness/s3-backend';
import { openDevice } from '../client/devices';
import { randomFile, sha256File } from '../client/files';
import { namespaceBytes, runCollector } from './support/collector';

const MiB = 1024 * 1024;
const DAY_MS = 24 * 3600 * 1000;
const GRACE_MS = LIMITS.gcGraceSeconds * 1000;
const TEST_TIMEOUT_MS = 180_000;
const ctx = signedInUser();
const onLocalRealS3 = targetHasRealS3() && process.env.TOTE_LOCAL_RUNTIME_JSON ? describe : describe.skip;

onLocalRealS3('retention and the chunk collector', () => {
  test(
    'a deleted file and replaced versions are kept through retention, then purged, and their bytes freed',
    async () => {
      // Prepare: a file with two versions, then deleted (its first content also live as a copy); another whose first version is replaced
      const device = await openDevice(ctx.target, ctx.user, 'retention', { deviceName: 'retention' });
      const [old, newer, kept1, kept2] = await Promise.all([
        randomFile(5 * MiB, 'old.bin'),
        randomFile(3 * MiB, 'newer.bin'),
        randomFile(2 * MiB, 'kept1.bin'),
        randomFile(1 * MiB, 'kept2.bin'),
      ]);
      await device.client.put(old, '/retention/deleted.bin');
      await device.client.put(old, '/retention/copy.bin');
      await device.client.put(newer, '/retention/deleted.bin');
      await device.client.put(kept1, '/retention/kept.bin');
      await device.client.put(kept2, '/retention/kept.bin');
      const deleted = await device.client.rm('/retention/deleted.bin');
      const before = await namespaceBytes(ctx.target, ctx.user.sub);

      // Act: a run now, one just before the trash expires, and one once retention and grace have passed
      await runCollector(ctx.target, ctx.user.sub, new Date());
      const afterNow = await namespaceBytes(ctx.target, ctx.user.sub);
      await runCollector(ctx.target, ctx.user.sub, new Date(Date.parse(deleted.restorableUntil) - 3600_000));
      const trashBeforeExpiry = await device.client.trash();
      const expired = new Date(Date.parse(deleted.restorableUntil) + GRACE_MS + 3600_000);
      await runCollector(ctx.target, ctx.user.sub, expired);
      const after = await namespaceBytes(ctx.target, ctx.user.sub);

      // Assess
      process.stdout.write(
        `retention: namespace bytes in S3 (all versions) before ${before.chunks + before.manifests}, ` +
          `after a run now ${afterNow.chunks + afterNow.manifests}, after retention + grace ${after.chunks + after.manifests} ` +
          `(the live files' current versions: ${6 * MiB})\n`,
      );
      expect(before.chunks).toBeGreaterThanOrEqual(11 * MiB);
      expect(afterNow).toEqual(before);
      expect(trashBeforeExpiry.map((e) => e.path)).toEqual(['/retention/deleted.bin']);
      expect(await device.client.trash()).toEqual([]);
      expect((await device.client.versions('/retention/kept.bin')).versions.map((v) => v.revision)).toEqual([2]);
      expect(after.chunks).toBe(6 * MiB);
      for (const [remote, content] of [['/retention/kept.bin', kept2], ['/retention/copy.bin', old]]) {
        const local = join(device.stateDir, '..', 'now.bin');
        await device.client.get(remote, local, { overwrite: true });
        expect(await sha256File(local)).toBe(await sha256File(content));
      }

      // Act / Assess: once the live file goes too, the namespace holds no bytes at all
      await device.client.rm('/retention/kept.bin');
      await device.client.rm('/retention/copy.bin');
      await runCollector(ctx.target, ctx.user.sub, new Date(expired.getTime() + 31 * DAY_MS + GRACE_MS));
      const emptied = await namespaceBytes(ctx.target, ctx.user.sub);
      process.stdout.write(`retention: after the last file is deleted and retention + grace pass: ${emptied.chunks + emptied.manifests} bytes, ${emptied.objects} objects\n`);
      expect(emptied).toEqual({ chunks: 0, manifests: 0, objects: 0 });
      device.client.close();
    },
    TEST_TIMEOUT_MS,
  );

  test(
    'restoring an old version stores no new bytes: the new revision names the old chunks',
    async () => {
      // Prepare
      const user = await createUser(ctx.target);
      const device = await openDevice(ctx.target, user, 'restore-bytes');
      const [first, second] = await Promise.all([randomFile(2 * MiB, 'first.bin'), randomFile(MiB, 'second.bin')]);
      await device.client.put(first, '/versions/doc.bin');
      await device.client.put(second, '/versions/doc.bin');
      const before = await namespaceBytes(ctx.target, user.sub);

      // Act
      const restored = await device.client.restoreVersion('/versions/doc.bin', 1);
      const after = await namespaceBytes(ctx.target, user.sub);

      // Assess
      expect(restored.revision).toBe(3);
      expect(before.chunks).toBe(3 * MiB);
      expect(after).toEqual(before);
      const local = join(device.stateDir, '..', 'doc.bin');
      await device.client.get('/versions/doc.bin', local);
      expect(await sha256File(local)).toBe(await sha256File(first));
      device.client.close();
    },
    TEST_TIMEOUT_MS,
  );
});
