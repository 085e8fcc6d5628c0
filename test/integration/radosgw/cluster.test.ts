/** The radosgw runner itself: loopback only, data kept across restarts, every daemon gone after stop. */
import { readFileSync } from 'node:fs';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { recordedPid } from '../../../local/ceph/daemons';
import { DAEMONS, layoutOf } from '../../../local/ceph/layout';
import { startRadosgw } from '../../../local/ceph/radosgw';
import { radosgwS3Client } from '../../../local/ceph/s3-client';
import { describeOnRadosgw } from './support/radosgw-suite';
import { listeningAddresses } from './support/listening';

const RESTART_TIMEOUT_MS = 120_000;

describeOnRadosgw('a radosgw started by local/ceph', (rgw) => {
  const pids = () => DAEMONS.map((daemon) => recordedPid(layoutOf(rgw().dataDir), daemon));

  it('runs a monitor, an OSD and radosgw that listen on 127.0.0.1 only', () => {
    const running = pids();
    expect(running.every((pid) => pid !== undefined)).toBe(true);

    const addresses = running.flatMap((pid) => listeningAddresses(pid!));

    expect(addresses.length).toBeGreaterThan(2);
    expect(addresses.filter((address) => !address.startsWith('127.0.0.1:'))).toEqual([]);
    expect(addresses).toContain(new URL(rgw().endpoint).host);
  });

  it('refuses to start a second time on the same data dir', async () => {
    await expect(startRadosgw({ dataDir: rgw().dataDir })).rejects.toThrow('already running');
  });

  it(
    'stops every daemon it started, and starts again with the objects stored before',
    async () => {
      const before = radosgwS3Client(rgw());
      await before.send(new CreateBucketCommand({ Bucket: 'tote-restart' }));
      await before.send(new PutObjectCommand({ Bucket: 'tote-restart', Key: 'kept', Body: 'still here' }));
      before.destroy();
      const running = pids() as number[];

      await rgw().stop();

      expect(running.filter(isAlive)).toEqual([]);
      expect(pids()).toEqual([undefined, undefined, undefined]);

      const again = await startRadosgw({ dataDir: rgw().dataDir });
      const after = radosgwS3Client(again);
      const kept = await after.send(new GetObjectCommand({ Bucket: 'tote-restart', Key: 'kept' }));
      expect(await kept.Body!.transformToString()).toBe('still here');
      after.destroy();
    },
    RESTART_TIMEOUT_MS,
  );
});

/** A zombie (exited, not yet reaped) counts as gone. */
function isAlive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
