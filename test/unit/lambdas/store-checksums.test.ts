/**
 * Issue 14 item 2: where the store verifies the SHA-256 a presigned PUT carries (AWS S3), the tracker
 * proves a chunk by the checksum the store kept instead of reading it back; wherever that proof is
 * missing or says something else, it reads the bytes as before. The store is S3 mocked at the SDK.
 */
import './env';
import { gzipSync } from 'node:zlib';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NotFound, S3Client, type HeadObjectCommandOutput } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { LIMITS, S3_LAYOUT } from '@contract/limits';
import { ChunkObjects } from '@repo/chunk-objects';
import { ChunkRegistry } from '@repo/chunks';
import { trackChunk } from '@domain/tracker';
import { OWNER, sha256, stored } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
beforeEach(() => {
  ddb.reset();
  s3.reset();
  ddb.on(PutCommand).resolves({});
});

const bytes = Buffer.from('the bytes of one chunk');
const hash = sha256(bytes);
const ref = { bucket: 'chunk-bucket', key: S3_LAYOUT.chunkKey(OWNER, hash), versionId: 'v1' };
const base64 = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

function deps(storeVerifies: boolean) {
  const client = new S3Client({ region: 'eu-west-1' });
  return { objects: new ChunkObjects(client, storeVerifies), registry: new ChunkRegistry(DynamoDBDocumentClient.from(client as never), 'FileMetadata') };
}

const head = (out: Partial<HeadObjectCommandOutput>) => s3.on(HeadObjectCommand).resolves({ ContentLength: bytes.length, Metadata: {}, ...out });
const registered = () => ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item);

test('a store-verified SHA-256 equal to the key registers the chunk without reading a byte', async () => {
  // Prepare
  head({ ChecksumSHA256: base64(hash), ChecksumType: 'FULL_OBJECT' });

  // Act
  const outcome = await trackChunk(deps(true), ref);

  // Assess
  expect(outcome).toBe('registered');
  expect(s3.commandCalls(HeadObjectCommand)[0].args[0].input).toEqual({ Bucket: 'chunk-bucket', Key: ref.key, VersionId: 'v1', ChecksumMode: 'ENABLED' });
  expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  expect(registered()).toEqual([expect.objectContaining({ sk: hash, size: bytes.length, storedSize: bytes.length, compression: 'none' })]);
});

test('where the store verifies nothing, it is not even asked: a store that echoes the header would vouch for anything', async () => {
  // Prepare
  head({ ChecksumSHA256: base64(hash) });
  s3.on(GetObjectCommand).resolves(stored(Buffer.from('other bytes')));
  s3.on(DeleteObjectCommand).resolves({});

  // Act
  const outcome = await trackChunk(deps(false), ref);

  // Assess
  expect(outcome).toBe('rejected');
  expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
  expect(s3.commandCalls(DeleteObjectCommand)[0].args[0].input).toEqual({ Bucket: 'chunk-bucket', Key: ref.key, VersionId: 'v1' });
});

test.each<[string, Partial<HeadObjectCommandOutput>]>([
  ['no SHA-256 kept (an object copied or written without the header)', {}],
  ['a SHA-256 of other bytes', { ChecksumSHA256: base64(sha256('other')) }],
  ['a multipart checksum of parts', { ChecksumSHA256: base64(hash), ChecksumType: 'COMPOSITE' }],
  ['gzip stored bytes (the key names the plaintext)', { ChecksumSHA256: base64(hash), Metadata: { [S3_LAYOUT.compressionMetadataKey]: 'gzip' } }],
  ['an empty object', { ChecksumSHA256: base64(hash), ContentLength: 0 }],
  ['an object over the chunk limit', { ChecksumSHA256: base64(hash), ContentLength: LIMITS.chunkMaxBytes + 1 }],
])('%s is read back and judged by its bytes', async (_, answer) => {
  // Prepare: the bytes themselves are good, so only reading them can register the chunk
  head(answer);
  const gzip = answer.Metadata !== undefined;
  s3.on(GetObjectCommand).resolves(gzip ? stored(gzipSync(bytes), { [S3_LAYOUT.compressionMetadataKey]: 'gzip' }) : stored(bytes));

  // Act
  const outcome = await trackChunk(deps(true), ref);

  // Assess
  expect(outcome).toBe('registered');
  expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
  expect(registered()).toEqual([expect.objectContaining({ sk: hash, size: bytes.length, compression: gzip ? 'gzip' : 'none' })]);
});

test('a version that is gone is gone, without a read', async () => {
  // Prepare
  s3.on(HeadObjectCommand).rejects(new NotFound({ message: 'gone', $metadata: {} }));

  // Act
  const outcome = await trackChunk(deps(true), ref);

  // Assess
  expect(outcome).toBe('gone');
  expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
  expect(registered()).toEqual([]);
});
