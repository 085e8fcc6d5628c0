/** radosgw as the local runtime's S3 backend: its pushed notifications reach the runtime's notices, across restarts. */
import { CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { startRadosgwBackend, type RadosgwBackend } from '../../../local/ceph/backend';
import { startRadosgw } from '../../../local/ceph/radosgw';
import { radosgwS3Client } from '../../../local/ceph/s3-client';
import { LOCAL_REGION } from '../../../local/config';
import type { ObjectCreated } from '../../../local/notifications/source';
import { describeWithCeph, START_TIMEOUT_MS } from './support/radosgw-suite';

const BUCKET = 'tote-backend';

/** The backend plus the data dir it runs in, so a test can stop it and start it again there. */
interface Restartable {
  backend: RadosgwBackend;
  readonly dataDir: string;
  stop(): Promise<void>;
}

async function startIn(dataDir: string): Promise<Restartable> {
  const state: Restartable = {
    backend: await startRadosgwBackend({ dataDir, port: 0 }),
    dataDir,
    stop: () => state.backend.stop(),
  };
  return state;
}

describeWithCeph('radosgw as the local runtime S3 backend', startIn, (service) => {
  const clientFor = (backend: RadosgwBackend): S3Client =>
    radosgwS3Client({ endpoint: backend.endpoint, region: LOCAL_REGION, ...backend.credentials });

  async function putAndCollect(backend: RadosgwBackend, key: string): Promise<ObjectCreated[]> {
    const notices: ObjectCreated[] = [];
    const unsubscribe = backend.notifications.subscribe((notice) => notices.push(notice));
    const s3 = clientFor(backend);
    try {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'chunk bytes' }));
      return notices;
    } finally {
      unsubscribe();
      s3.destroy();
    }
  }

  beforeAll(async () => {
    const s3 = clientFor(service().backend);
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    s3.destroy();
    await service().backend.watchBucket(BUCKET);
  });

  it('turns a PUT into an object-created notice with the key as stored', async () => {
    const notices = await putAndCollect(service().backend, 'chunks/owner-a/some key+1');

    expect(notices).toEqual([
      expect.objectContaining({ eventName: 'ObjectCreated:Put', bucket: BUCKET, key: 'chunks/owner-a/some key+1', size: 11 }),
    ]);
  });

  it(
    'keeps notifying after a restart, once the bucket is watched again',
    async () => {
      await service().stop();
      service().backend = await startRadosgwBackend({ dataDir: service().dataDir, port: 0 });
      await service().backend.watchBucket(BUCKET);

      const notices = await putAndCollect(service().backend, 'chunks/owner-a/after-restart');

      expect(notices.map((n) => n.key)).toEqual(['chunks/owner-a/after-restart']);
    },
    START_TIMEOUT_MS,
  );

  it(
    'takes over from a runtime that was killed without stopping its daemons',
    async () => {
      await service().stop();
      await startRadosgw({ dataDir: service().dataDir });

      service().backend = await startRadosgwBackend({ dataDir: service().dataDir, port: 0 });
      await service().backend.watchBucket(BUCKET);

      const notices = await putAndCollect(service().backend, 'chunks/owner-a/after-takeover');
      expect(notices.map((n) => n.key)).toEqual(['chunks/owner-a/after-takeover']);
    },
    START_TIMEOUT_MS,
  );
});
