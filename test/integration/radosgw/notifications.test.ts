/**
 * Bucket notifications from a real S3: radosgw pushes ObjectCreated events for the chunk prefix to an
 * HTTP endpoint through an SNS-style topic; local/ceph/notifications.ts reads each pushed body into the
 * runtime's notices, from which local/notifications/records.ts builds the event AWS would deliver to
 * the chunk tracker. The tests pin radosgw 16's differences from AWS.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  HeadObjectCommand,
  PutBucketNotificationConfigurationCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { S3_LAYOUT } from '@contract/limits';
import { ChunkPresigner } from '@repo/presigner';
import { noticesFromRadosgw } from '../../../local/ceph/notifications';
import { s3EventRecord } from '../../../local/notifications/records';
import { radosgwS3Client } from '../../../local/ceph/s3-client';
import { createTopic } from '../../../local/ceph/topics';
import { describeOnRadosgw } from './support/radosgw-suite';
import { startPushReceiver, type PushReceiver } from './support/push-receiver';

const BUCKET = 'tote-events';
const OWNER = 'owner-a';

/** The S3 event the chunk tracker gets for one body radosgw pushed. */
const trackerEvent = (body: string) => ({ Records: noticesFromRadosgw(body).map((notice) => s3EventRecord(notice, 'chunk-created')) });

/** How the chunk tracker reads an event key (lambdas/chunk-tracker/handler.ts decodeEventKey). */
const trackerDecode = (key: string) => decodeURIComponent(key.replace(/\+/g, ' '));

function newChunk(): { bytes: Buffer; hash: string; md5: string } {
  const bytes = randomBytes(32 * 1024);
  return {
    bytes,
    hash: createHash('sha256').update(bytes).digest('hex'),
    md5: createHash('md5').update(bytes).digest('hex'),
  };
}

describeOnRadosgw('bucket notifications pushed by radosgw', (rgw) => {
  let s3: S3Client;
  let receiver: PushReceiver;

  beforeAll(async () => {
    s3 = radosgwS3Client(rgw());
    receiver = await startPushReceiver('/s3-events');
    const topicArn = await createTopic(rgw(), 'tote-chunk-created', { pushEndpoint: receiver.url });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: BUCKET,
        NotificationConfiguration: {
          TopicConfigurations: [
            {
              Id: 'chunk-created',
              TopicArn: topicArn,
              Events: ['s3:ObjectCreated:*'],
              Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: S3_LAYOUT.chunkPrefix }] } },
            },
          ],
        },
      }),
    );
  });
  afterEach(() => {
    receiver.answerWith(200);
    receiver.bodies.length = 0;
  });
  afterAll(async () => {
    s3?.destroy();
    await receiver?.close();
  });

  it('delivers a chunk PUT to a presigned URL as the S3 event the tracker consumes, naming the exact version', async () => {
    const chunk = newChunk();
    const put = await new ChunkPresigner(s3, BUCKET).presignPut(OWNER, chunk.hash);
    const res = await fetch(put.url, { method: 'PUT', body: chunk.bytes, headers: put.headers });
    expect(res.status).toBe(200);

    const [body] = await receiver.waitFor(1);
    const event = trackerEvent(body);

    expect(event.Records).toHaveLength(1);
    expect(event.Records[0]).toMatchObject({
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: BUCKET },
        object: {
          key: S3_LAYOUT.chunkKey(OWNER, chunk.hash),
          size: chunk.bytes.length,
          eTag: chunk.md5,
          versionId: res.headers.get('x-amz-version-id'),
        },
      },
    });
  });

  it('sends keys raw where AWS URL-encodes them; the event is encoded as AWS does, so the tracker decodes the exact key', async () => {
    const key = `${S3_LAYOUT.chunkPrefix}a key+with/100% (odd) é~`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x' }));

    const [body] = await receiver.waitFor(1);
    const raw = JSON.parse(body).Records[0].s3.object.key;
    const adapted = trackerEvent(body).Records[0].s3.object.key;

    expect(raw).toBe(key);
    expect(adapted).toBe('chunks/a+key%2Bwith/100%25+%28odd%29+%C3%A9%7E');
    expect(trackerDecode(adapted)).toBe(key);
  });

  it('notifies only for keys under the chunk prefix', async () => {
    const chunk = newChunk();
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: S3_LAYOUT.manifestKey(OWNER, chunk.hash), Body: '[]' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: S3_LAYOUT.chunkKey(OWNER, chunk.hash), Body: chunk.bytes }));

    const bodies = await receiver.waitFor(1);

    expect(bodies.map((b) => trackerEvent(b).Records[0].s3.object.key)).toEqual([S3_LAYOUT.chunkKey(OWNER, chunk.hash)]);
  });

  it('pushes during the PUT (AWS delivers later): the event is in when the PUT returns', async () => {
    const chunk = newChunk();

    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: S3_LAYOUT.chunkKey(OWNER, chunk.hash), Body: chunk.bytes }));

    expect(receiver.bodies).toHaveLength(1);
  });

  it('still stores the object when the push endpoint fails, and does not push that event again', async () => {
    const chunk = newChunk();
    const key = S3_LAYOUT.chunkKey(OWNER, chunk.hash);
    receiver.answerWith(500);

    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: chunk.bytes }));
    receiver.answerWith(200);
    const later = newChunk();
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: S3_LAYOUT.chunkKey(OWNER, later.hash), Body: later.bytes }));

    const keys = receiver.bodies.map((b) => trackerEvent(b).Records[0].s3.object.key);
    expect(keys).toEqual([key, S3_LAYOUT.chunkKey(OWNER, later.hash)]);
    const stored = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }));
    expect(stored.ContentLength).toBe(chunk.bytes.length);
  });
});

describe('noticesFromRadosgw', () => {
  it.each([
    ['not JSON', '{', 'not JSON'],
    ['no Records', '{}', '/Records'],
    ['a record without its object', JSON.stringify({ Records: [{ eventName: 'ObjectCreated:Put' }] }), '/Records/0/'],
  ])('refuses %s, naming what is wrong', (_, body, message) => {
    expect(() => noticesFromRadosgw(body)).toThrow(message);
  });

  const pushed = (eventName: string, versionId: string) =>
    JSON.stringify({
      Records: [
        {
          eventVersion: '2.2',
          eventSource: 'ceph:s3',
          awsRegion: '',
          eventTime: '2026-01-01T00:00:00.000Z',
          eventName,
          userIdentity: { principalId: 'tote' },
          requestParameters: { sourceIPAddress: '' },
          responseElements: { 'x-amz-request-id': 'r', 'x-amz-id-2': 'i' },
          s3: {
            s3SchemaVersion: '1.0',
            configurationId: 'c',
            bucket: { name: 'b', ownerIdentity: { principalId: 'tote' }, arn: 'arn:aws:s3:::b', id: 'x' },
            object: { key: 'k', size: 1, eTag: 'e', versionId, sequencer: '1', metadata: [], tags: [] },
          },
          eventId: 'id',
          opaqueData: '',
        },
      ],
    });

  it('leaves versionId out for an unversioned object, as AWS does', () => {
    expect(noticesFromRadosgw(pushed('ObjectCreated:Put', ''))).toEqual([
      { eventName: 'ObjectCreated:Put', eventTime: '2026-01-01T00:00:00.000Z', bucket: 'b', key: 'k', size: 1, eTag: 'e', sequencer: '1', sourceIp: '127.0.0.1' },
    ]);
  });

  it('passes on only ObjectCreated events', () => {
    expect(noticesFromRadosgw(pushed('ObjectRemoved:Delete', 'v1'))).toEqual([]);
  });
});
