import './env';
import { gzipSync } from 'node:zlib';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { LIMITS } from '@contract/limits';
import { decodeEventKey, handler } from '../../../lambdas/chunk-tracker/handler';
import { OWNER, lambdaContext, sha256, stored } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
beforeEach(() => {
  ddb.reset();
  s3.reset();
});

const bytes = Buffer.from('the bytes of one chunk');
const hash = sha256(bytes);
const key = `chunks/${OWNER}/${hash}`;

const event = (...records: { key: string; versionId?: string }[]): S3Event =>
  ({
    Records: records.map((r) => ({
      eventName: 'ObjectCreated:Put',
      s3: { bucket: { name: 'chunk-bucket' }, object: { key: r.key, size: 1, ...(r.versionId ? { versionId: r.versionId } : {}) } },
    })),
  }) as unknown as S3Event;

const registrations = () => ddb.commandCalls(PutCommand).map((c) => c.args[0].input);
const deletions = () => s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input);

describe('chunk tracker', () => {
  it('registers a chunk whose bytes hash to its key, reading the version named in the event', async () => {
    s3.on(GetObjectCommand).resolves(stored(bytes));
    ddb.on(PutCommand).resolves({});

    await handler(event({ key, versionId: 'v1' }), lambdaContext());

    expect(s3.commandCalls(GetObjectCommand)[0].args[0].input).toEqual({ Bucket: 'chunk-bucket', Key: key, VersionId: 'v1' });
    expect(registrations()).toEqual([
      {
        TableName: 'FileMetadata',
        Item: { pk: `CHUNKS#${OWNER}`, sk: hash, size: bytes.length, storedSize: bytes.length, compression: 'none', registeredAt: expect.any(String) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    ]);
    expect(deletions()).toEqual([]);
  });

  it('deletes exactly the checked version when the bytes do not match the key', async () => {
    s3.on(GetObjectCommand).resolves(stored(Buffer.from('other bytes')));

    await handler(event({ key, versionId: 'v-bad' }), lambdaContext());

    expect(deletions()).toEqual([{ Bucket: 'chunk-bucket', Key: key, VersionId: 'v-bad' }]);
    expect(registrations()).toEqual([]);
  });

  it('hashes the plaintext of a gzip chunk and records how it is stored', async () => {
    const compressed = gzipSync(bytes);
    s3.on(GetObjectCommand).resolves(stored(compressed, { 'tote-compression': 'gzip' }));
    ddb.on(PutCommand).resolves({});

    await handler(event({ key, versionId: 'v1' }), lambdaContext());

    expect(registrations()[0].Item).toMatchObject({ sk: hash, size: bytes.length, storedSize: compressed.length, compression: 'gzip' });
  });

  it('deletes a chunk that claims gzip but is not, and one with an unknown compression', async () => {
    s3.on(GetObjectCommand)
      .resolvesOnce(stored(bytes, { 'tote-compression': 'gzip' }))
      .resolvesOnce(stored(bytes, { 'tote-compression': 'zstd' }));

    await handler(event({ key, versionId: 'v1' }), lambdaContext());
    await handler(event({ key, versionId: 'v2' }), lambdaContext());

    expect(deletions().map((d) => d.VersionId)).toEqual(['v1', 'v2']);
    expect(registrations()).toEqual([]);
  });

  it('stops reading and deletes when the plaintext exceeds the chunk limit (a gzip bomb)', async () => {
    const huge = Buffer.alloc(LIMITS.chunkMaxBytes + 1);
    s3.on(GetObjectCommand).resolves(stored(gzipSync(huge), { 'tote-compression': 'gzip' }));

    await handler(event({ key: `chunks/${OWNER}/${sha256(huge)}`, versionId: 'v1' }), lambdaContext());

    expect(deletions()).toHaveLength(1);
    expect(registrations()).toEqual([]);
  });

  it('treats a duplicate notification of a registered chunk as done', async () => {
    s3.on(GetObjectCommand).callsFake(() => stored(bytes));
    ddb.on(PutCommand).resolvesOnce({}).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));

    await handler(event({ key, versionId: 'v1' }), lambdaContext());
    await expect(handler(event({ key, versionId: 'v1' }), lambdaContext())).resolves.toBeUndefined();

    expect(registrations()).toHaveLength(2);
    expect(deletions()).toEqual([]);
  });

  it('ignores a notification for an object that is gone', async () => {
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'gone', $metadata: {} }));

    await expect(handler(event({ key, versionId: 'v1' }), lambdaContext())).resolves.toBeUndefined();

    expect(registrations()).toEqual([]);
    expect(deletions()).toEqual([]);
  });

  it('deletes without a version id where the store reports none', async () => {
    s3.on(GetObjectCommand).resolves(stored(Buffer.from('wrong')));

    await handler(event({ key }), lambdaContext());

    expect(deletions()).toEqual([{ Bucket: 'chunk-bucket', Key: key }]);
  });

  it('skips objects that are not chunks', async () => {
    await handler(event({ key: `manifests/${OWNER}/${hash}.json` }), lambdaContext());

    expect(s3.calls()).toHaveLength(0);
  });

  it('finishes the other records, then fails so S3 retries the one that broke', async () => {
    const other = Buffer.from('another chunk');
    s3.on(GetObjectCommand, { Key: key }).callsFake(() => stored(bytes));
    s3.on(GetObjectCommand, { Key: `chunks/${OWNER}/${sha256(other)}` }).callsFake(() => stored(other));
    ddb.on(PutCommand, { Item: { sk: hash } }).rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    ddb.on(PutCommand, { Item: { sk: sha256(other) } }).resolves({});

    await expect(handler(event({ key }, { key: `chunks/${OWNER}/${sha256(other)}` }), lambdaContext())).rejects.toThrow('1 of 2 records failed');

    expect(registrations().map((r) => r.Item!.sk)).toEqual(expect.arrayContaining([hash, sha256(other)]));
  });

  it('decodes event keys: AWS URL-encodes them with + for space, other stores send them raw', () => {
    expect(decodeEventKey(`chunks/${OWNER}/${hash}`)).toBe(key);
    expect(decodeEventKey('chunks/a%3Ab+c')).toBe('chunks/a:b c');
    expect(decodeEventKey('chunks/%E0%A4%A')).toBe('chunks/%E0%A4%A');
  });
});
