/**
 * radosgw as the local runtime's S3 backend: conditional writes as on AWS, even on a versioned bucket,
 * and its pushed notifications reach the runtime's notices, across restarts.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { S3_LAYOUT } from '@contract/limits';
import { ChunkObjects } from '@repo/chunk-objects';
import { ChunkPresigner } from '@repo/presigner';
import { startRadosgwBackend, type RadosgwBackend } from '../../../local/ceph/backend';
import { startRadosgw } from '../../../local/ceph/radosgw';
import { radosgwS3Client } from '../../../local/ceph/s3-client';
import { LOCAL_REGION } from '../../../local/config';
import type { ObjectCreated } from '../../../local/notifications/source';
import { forgeSignature, send } from '../harness/s3-http';
import { describeWithCeph, START_TIMEOUT_MS } from './support/radosgw-suite';

const BUCKET = 'tote-backend';
const VERSIONED = 'tote-backend-versioned';
const OWNER = 'owner-a';

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
    await s3.send(new CreateBucketCommand({ Bucket: VERSIONED }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: VERSIONED, VersioningConfiguration: { Status: 'Enabled' } }));
    s3.destroy();
    await service().backend.watchBucket(BUCKET);
  });

  describe('conditional writes on a versioned bucket (radosgw 16 alone stores them as new versions)', () => {
    let s3: S3Client;
    let presigner: ChunkPresigner;
    beforeAll(() => {
      s3 = clientFor(service().backend);
      presigner = new ChunkPresigner(s3, VERSIONED);
    });
    afterAll(() => s3?.destroy());

    function newChunk(): { bytes: Buffer; hash: string; key: string } {
      const bytes = randomBytes(16 * 1024);
      const hash = createHash('sha256').update(bytes).digest('hex');
      return { bytes, hash, key: S3_LAYOUT.chunkKey(OWNER, hash) };
    }

    const versionsOf = async (key: string) =>
      ((await s3.send(new ListObjectVersionsCommand({ Bucket: VERSIONED, Prefix: key }))).Versions ?? []).map((v) => v.VersionId);

    it('answers 412 to a second PUT of the same chunk, leaving the first version the only one', async () => {
      const chunk = newChunk();
      const put = await presigner.presignPut(OWNER, chunk.hash);
      const first = await fetch(put.url, { method: 'PUT', body: chunk.bytes, headers: put.headers });
      expect(first.status).toBe(200);

      const again = await send(put.url, { method: 'PUT', body: randomBytes(16 * 1024), headers: put.headers });

      expect(again).toMatchObject({ status: 412, code: 'PreconditionFailed' });
      expect(await versionsOf(chunk.key)).toEqual([first.headers.get('x-amz-version-id')]);
      const stored = await s3.send(new GetObjectCommand({ Bucket: VERSIONED, Key: chunk.key }));
      expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(chunk.bytes)).toBe(true);
    });

    it('refuses a forged conditional PUT to an existing chunk with 403, as S3 does, not with a 412 that would confirm the key', async () => {
      const chunk = newChunk();
      const put = await presigner.presignPut(OWNER, chunk.hash);
      expect((await send(put.url, { method: 'PUT', body: chunk.bytes, headers: put.headers })).status).toBe(200);

      const answer = await send(forgeSignature(put.url), { method: 'PUT', body: randomBytes(16 * 1024), headers: put.headers });

      expect(answer).toMatchObject({ status: 403, code: 'SignatureDoesNotMatch' });
      expect(await versionsOf(chunk.key)).toHaveLength(1);
    });

    it('copies a staged version to a free chunk key, and refuses (412) to copy over one that holds a chunk', async () => {
      // The tracker puts an editor's verified staged chunk in place this way (domain/staged-chunks.ts).
      const objects = new ChunkObjects(s3);
      const chunk = newChunk();
      const stagedKey = S3_LAYOUT.stagedKey(OWNER, 'editor-b', chunk.hash);
      const staged = await s3.send(new PutObjectCommand({ Bucket: VERSIONED, Key: stagedKey, Body: chunk.bytes, Metadata: { 'tote-compression': 'none' } }));

      const copied = await objects.copyIfAbsent({ bucket: VERSIONED, key: stagedKey, versionId: staged.VersionId }, chunk.key);
      const again = await objects.copyIfAbsent({ bucket: VERSIONED, key: stagedKey, versionId: staged.VersionId }, chunk.key);

      // radosgw does not name the version a copy created (the tracker then reads the key's latest).
      expect(copied).not.toBe('taken');
      expect(again).toBe('taken');
      const versions = await versionsOf(chunk.key);
      expect(versions).toHaveLength(1);
      if (copied !== 'taken' && copied.versionId !== undefined) expect(versions).toEqual([copied.versionId]);
      const stored = await s3.send(new GetObjectCommand({ Bucket: VERSIONED, Key: chunk.key }));
      expect(Buffer.from(await stored.Body!.transformToByteArray()).equals(chunk.bytes)).toBe(true);
      expect(stored.Metadata).toEqual({ 'tote-compression': 'none' });
    });
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
