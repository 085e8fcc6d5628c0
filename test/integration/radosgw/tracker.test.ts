/**
 * S3 stores whatever bytes a valid presigned URL brings; only our chunk tracker knows what a chunk's
 * bytes must hash to. The real tracker handler runs here on radosgw's own notifications (through the
 * runtime's notice -> S3 event path) with its registry in DynamoDB Local.
 */
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CreateBucketCommand, GetObjectCommand, PutBucketVersioningCommand, type S3Client } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { ENV } from '@contract/env';
import { S3_LAYOUT } from '@contract/limits';
import { ChunkRegistry } from '@repo/chunks';
import { ChunkPresigner } from '@repo/presigner';
import { startRadosgwBackend, type RadosgwBackend } from '../../../local/ceph/backend';
import { radosgwS3Client } from '../../../local/ceph/s3-client';
import { LOCAL_REGION } from '../../../local/config';
import { localCredentials } from '../../../local/emulators/credentials';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../local/emulators/dynamodb';
import { s3EventRecord } from '../../../local/notifications/records';
import { freePort } from '../../../local/process/ports';
import { describeWithCeph } from './support/radosgw-suite';
import { send } from '../harness/s3-http';
import { lambdaContext } from '../../support/lambda-context';

const BUCKET = 'tote-tracked';
const TABLE = 'FileMetadata';
const OWNER = 'owner-a';

interface Services {
  readonly backend: RadosgwBackend;
  readonly dynamodb: DynamoDbLocal;
  stop(): Promise<void>;
}

async function startServices(dataDir: string): Promise<Services> {
  const [backend, dynamodb] = await Promise.all([
    startRadosgwBackend({ dataDir: join(dataDir, 'ceph'), port: 0 }),
    freePort().then((port) => startDynamoDbLocal({ port, dbPath: join(dataDir, 'dynamodb'), logFile: join(dataDir, 'dynamodb.log') })),
  ]);
  return { backend, dynamodb, stop: async () => void (await Promise.all([backend.stop(), dynamodb.stop()])) };
}

function chunkOf(bytes: Buffer): { bytes: Buffer; hash: string } {
  return { bytes, hash: createHash('sha256').update(bytes).digest('hex') };
}

describeWithCeph('the chunk tracker on radosgw notifications', startServices, (services) => {
  let s3: S3Client;
  let presigner: ChunkPresigner;
  let registry: ChunkRegistry;
  let documents: DynamoDBDocumentClient;
  /** Tracker invocations started by pushed notifications, awaited by each test. */
  let invocations: Promise<void>[] = [];

  beforeAll(async () => {
    const { backend, dynamodb } = services();
    s3 = radosgwS3Client({ endpoint: backend.endpoint, region: LOCAL_REGION, ...backend.credentials });
    presigner = new ChunkPresigner(s3, BUCKET);
    documents = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: dynamodb.endpoint, region: LOCAL_REGION, credentials: localCredentials }));
    registry = new ChunkRegistry(documents, TABLE);
    await documents.send(
      new CreateTableCommand({
        TableName: TABLE,
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: BUCKET, VersioningConfiguration: { Status: 'Enabled' } }));
    await backend.watchBucket(BUCKET);

    // The handler reads its configuration and endpoints from the environment, as in Lambda.
    Object.assign(process.env, {
      [ENV.fileTable]: TABLE,
      [ENV.s3ForcePathStyle]: 'true',
      AWS_ENDPOINT_URL_S3: backend.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: backend.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: backend.credentials.secretAccessKey,
      POWERTOOLS_LOG_LEVEL: 'ERROR',
    });
    const { handler } = await import('../../../lambdas/chunk-tracker/handler');
    backend.notifications.subscribe((notice) => {
      invocations.push(handler({ Records: [s3EventRecord(notice, 'chunk-tracker')] } as S3Event, lambdaContext('chunk-tracker')));
    });
  });
  afterAll(() => {
    s3?.destroy();
    documents?.destroy();
  });

  /** PUTs bytes to the presigned URL for `hash` and waits for the tracker to finish with them. */
  async function upload(hash: string, bytes: Buffer, compression: 'none' | 'gzip' = 'none'): Promise<number> {
    invocations = [];
    const put = await presigner.presignPut(OWNER, hash, compression);
    const answer = await send(put.url, { method: 'PUT', body: bytes, headers: put.headers });
    // radosgw pushed the notification before answering the PUT (notifications.test.ts pins that).
    if (answer.status === 200 && invocations.length === 0) throw new Error(`no notification came with the PUT of ${hash}`);
    await Promise.all(invocations);
    return answer.status;
  }

  async function stored(hash: string): Promise<boolean> {
    try {
      await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: S3_LAYOUT.chunkKey(OWNER, hash) }));
      return true;
    } catch (error) {
      if ((error as Error).name === 'NoSuchKey') return false;
      throw error;
    }
  }

  it('registers a chunk whose bytes match its key', async () => {
    const chunk = chunkOf(randomBytes(100_000));

    expect(await upload(chunk.hash, chunk.bytes)).toBe(200);

    expect((await registry.lookup(OWNER, [chunk.hash])).get(chunk.hash)).toMatchObject({ size: 100_000, compression: 'none' });
  });

  it('S3 accepts other bytes on a valid URL; the tracker deletes them and registers nothing', async () => {
    const promised = chunkOf(randomBytes(100_000));

    const status = await upload(promised.hash, randomBytes(100_000));

    expect(status).toBe(200);
    expect(await stored(promised.hash)).toBe(false);
    expect((await registry.lookup(OWNER, [promised.hash])).size).toBe(0);
  });

  it('lets the honest upload through after a tampered one was deleted', async () => {
    const chunk = chunkOf(randomBytes(50_000));
    await upload(chunk.hash, randomBytes(50_000));

    expect(await upload(chunk.hash, chunk.bytes)).toBe(200);

    expect(await stored(chunk.hash)).toBe(true);
    expect((await registry.lookup(OWNER, [chunk.hash])).has(chunk.hash)).toBe(true);
  });

  it('checks a gzip chunk after decompression', async () => {
    const plain = chunkOf(Buffer.from('tote '.repeat(20_000)));
    const wrong = chunkOf(Buffer.from('evil '.repeat(20_000)));

    await upload(plain.hash, gzipSync(plain.bytes), 'gzip');
    await upload(wrong.hash, gzipSync(plain.bytes), 'gzip');

    expect((await registry.lookup(OWNER, [plain.hash])).get(plain.hash)).toMatchObject({ size: plain.bytes.length, compression: 'gzip' });
    expect(await stored(wrong.hash)).toBe(false);
  });
});
