import './env';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { LIMITS } from '@contract/limits';
import { uploadIdFor } from '@domain/uploads';
import { handler } from '../../../lambdas/api/start-upload';
import { contentHashOfChunks } from '../../support/content-hash';
import { apiEvent, call, chunkItem, OWNER, serveItems, sha256, STRANGER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
beforeEach(() => {
  ddb.reset();
  s3.reset();
});

const [c1, c2, c3] = ['one', 'two', 'three'].map(sha256);
/** A file that repeats content: c2 appears twice. */
const request = {
  path: '/Docs/notes.txt',
  size: 40,
  contentHash: contentHashOfChunks([c1, c2, c3, c2]),
  chunks: [
    { hash: c1, size: 10 },
    { hash: c2, size: 10 },
    { hash: c3, size: 10 },
    { hash: c2, size: 10 },
  ],
};

const putItems = () => ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item!);

describe('POST /uploads', () => {
  it('asks only for the chunks the namespace lacks, once each, in manifest order', async () => {
    serveItems(ddb, [chunkItem(OWNER, c1, 10)]);
    ddb.on(PutCommand).resolves({});

    const res = await call(handler, apiEvent({ body: request }));

    expect(res.status).toBe(200);
    expect(res.body.missing).toEqual([c2, c3]);
    expect(res.body.urls.map((u: { hash: string }) => u.hash)).toEqual([c2, c3]);
    expect(res.body.existing).toBeNull();
    const lookedUp = ddb.commandCalls(BatchGetCommand).flatMap((c) => c.args[0].input.RequestItems!.FileMetadata.Keys!);
    expect(lookedUp).toEqual([c1, c2, c3].map((h) => ({ pk: `CHUNKS#${OWNER}`, sk: h })));
  });

  it('hands out presigned PUTs that must carry If-None-Match: * and the chunk\'s SHA-256 for S3 to check', async () => {
    serveItems(ddb, []);
    ddb.on(PutCommand).resolves({});

    const res = await call(handler, apiEvent({ body: request }));

    const put = res.body.urls[0];
    const url = new URL(put.url);
    expect(put.headers).toEqual({ 'if-none-match': '*', 'x-amz-checksum-sha256': Buffer.from(c1, 'hex').toString('base64') });
    expect(url.pathname).toBe(`/chunks/${OWNER}/${c1}`);
    expect(url.hostname).toBe('chunk-bucket.s3.eu-west-1.amazonaws.com');
    expect(url.searchParams.get('X-Amz-SignedHeaders')).toBe('host;if-none-match;x-amz-checksum-sha256');
    expect(url.searchParams.get('X-Amz-Expires')).toBe(String(LIMITS.uploadUrlTtlSeconds));
    expect(url.searchParams.has('x-amz-checksum-crc32')).toBe(false);
    expect(Date.parse(res.body.expiresAt) - Date.now()).toBeGreaterThan((LIMITS.uploadUrlTtlSeconds - 60) * 1000);
  });

  it('records the session with the manifest in order, duplicates included', async () => {
    serveItems(ddb, []);
    ddb.on(PutCommand).resolves({});

    const res = await call(handler, apiEvent({ body: request }));

    const [session] = putItems();
    expect(session).toMatchObject({
      pk: `UPLOAD#${res.body.uploadId}`,
      sk: 'META',
      ownerId: OWNER,
      path: '/Docs/notes.txt',
      size: 40,
      mimeType: 'text/plain',
      chunkCount: 4,
      manifest: { kind: 'inline', chunks: request.chunks },
    });
    expect(session.committed).toBeUndefined();
    expect(session.ttl).toBeGreaterThan(Date.now() / 1000 + LIMITS.uploadSessionTtlSeconds - 60);
  });

  it('derives the upload id from owner, path (ignoring case), content and chunks', async () => {
    const id = uploadIdFor(OWNER, '/Docs/notes.txt', request.contentHash, request.chunks);

    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(uploadIdFor(OWNER, '/docs/NOTES.txt', request.contentHash, request.chunks)).toBe(id);
    expect(uploadIdFor(STRANGER, '/Docs/notes.txt', request.contentHash, request.chunks)).not.toBe(id);
    expect(uploadIdFor(OWNER, '/Docs/other.txt', request.contentHash, request.chunks)).not.toBe(id);
    expect(uploadIdFor(OWNER, '/Docs/notes.txt', request.contentHash, request.chunks.slice(0, 3))).not.toBe(id);
  });

  it('resumes an uncommitted session instead of writing a new one', async () => {
    const uploadId = uploadIdFor(OWNER, request.path, request.contentHash, request.chunks);
    serveItems(ddb, [
      { pk: `UPLOAD#${uploadId}`, sk: 'META', uploadId, ownerId: OWNER, path: request.path, manifest: { kind: 'inline', hash: 'h', chunks: request.chunks } },
      chunkItem(OWNER, c1, 10),
      chunkItem(OWNER, c2, 10),
    ]);

    const res = await call(handler, apiEvent({ body: request }));

    expect(res.body.uploadId).toBe(uploadId);
    expect(res.body.missing).toEqual([c3]);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });

  it('retries the registry keys DynamoDB leaves unprocessed', async () => {
    serveItems(ddb, []);
    ddb.on(PutCommand).resolves({});
    ddb
      .on(BatchGetCommand)
      .resolvesOnce({ Responses: { FileMetadata: [chunkItem(OWNER, c1, 10)] }, UnprocessedKeys: { FileMetadata: { Keys: [{ pk: `CHUNKS#${OWNER}`, sk: c3 }] } } })
      .resolvesOnce({ Responses: { FileMetadata: [chunkItem(OWNER, c3, 10)] } });

    const res = await call(handler, apiEvent({ body: request }));

    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(2);
    expect(ddb.commandCalls(BatchGetCommand)[1].args[0].input.RequestItems!.FileMetadata.Keys).toEqual([{ pk: `CHUNKS#${OWNER}`, sk: c3 }]);
    expect(res.body.missing).toEqual([c2]);
  });

  it('accepts a 0-byte file with no chunks and nothing to send', async () => {
    serveItems(ddb, []);
    ddb.on(PutCommand).resolves({});

    const res = await call(handler, apiEvent({ body: { path: '/empty', size: 0, contentHash: sha256(''), chunks: [] } }));

    expect(res.status).toBe(200);
    expect(res.body.missing).toEqual([]);
    expect(res.body.urls).toEqual([]);
    expect(putItems()[0]).toMatchObject({ size: 0, chunkCount: 0, mimeType: 'application/octet-stream' });
  });

  it('refuses sizes that do not add up and an empty file with another hash', async () => {
    const sum = await call(handler, apiEvent({ body: { ...request, size: 41 } }));
    const empty = await call(handler, apiEvent({ body: { path: '/empty', size: 0, contentHash: sha256('x'), chunks: [] } }));

    expect(sum.status).toBe(400);
    expect(sum.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: 'chunk sizes add up to 40 bytes, not the declared size 41' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'CONTENT_HASH_MISMATCH', details: { field: 'body.contentHash', expected: sha256('') } });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('refuses a content hash its chunks do not give, the whole-file SHA-256 included, and stores nothing', async () => {
    const wholeFile = await call(handler, apiEvent({ body: { ...request, contentHash: sha256('the whole file, hashed in one pass') } }));
    const reordered = await call(handler, apiEvent({ body: { ...request, contentHash: contentHashOfChunks([c2, c1, c3, c2]) } }));

    for (const res of [wholeFile, reordered]) {
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'CONTENT_HASH_MISMATCH', details: { field: 'body.contentHash', expected: request.contentHash } });
    }
    expect(ddb.calls()).toHaveLength(0);
    expect(s3.calls()).toHaveLength(0);
  });

  it('refuses one chunk hash listed at two sizes (it could never commit), naming the hash and the sizes', async () => {
    const chunks = [{ hash: c1, size: 10 }, { hash: c2, size: 10 }, { hash: c1, size: 12 }];
    const body = { path: '/twice.bin', size: 32, contentHash: contentHashOfChunks([c1, c2, c1]), chunks };

    const res = await call(handler, apiEvent({ body }));

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'CHUNK_SIZE_CONFLICT', details: { field: 'body.chunks', hash: c1, sizes: [10, 12] } });
    expect(ddb.calls()).toHaveLength(0);
  });

  it('stores the content hash it computed from the manifest in the session', async () => {
    serveItems(ddb, []);
    ddb.on(PutCommand).resolves({});

    await call(handler, apiEvent({ body: request }));

    expect(putItems()[0].contentHash).toBe(contentHashOfChunks(request.chunks.map((c) => c.hash)));
  });

  it('refuses invalid paths with the reason', async () => {
    const dots = await call(handler, apiEvent({ body: { ...request, path: '/a/../b' } }));
    const root = await call(handler, apiEvent({ body: { ...request, path: '/' } }));

    expect(dots.status).toBe(400);
    expect(dots.body.error).toEqual({ code: 'INVALID_PATH', message: 'path segment ".." is not allowed' });
    expect(root.body.error.code).toBe('INVALID_PATH');
  });

  it('tells which file is at the path, and refuses a path that is a folder', async () => {
    const fileId = '0b7f3c1e-0000-4000-8000-000000000001';
    serveItems(ddb, [
      { pk: `NS#${OWNER}`, sk: 'PATH#/docs/notes.txt', kind: 'file', path: '/Docs/notes.txt', name: 'notes.txt', fileId, revision: 3 },
      { pk: `NS#${OWNER}`, sk: 'PATH#/docs', kind: 'folder', path: '/Docs', name: 'Docs' },
    ]);
    ddb.on(PutCommand).resolves({});

    const onFile = await call(handler, apiEvent({ body: request }));
    const onFolder = await call(handler, apiEvent({ body: { ...request, path: '/docs' } }));

    expect(onFile.body.existing).toEqual({ fileId, revision: 3 });
    expect(onFolder.status).toBe(409);
    expect(onFolder.body.error).toMatchObject({ code: 'PATH_CONFLICT', details: { path: '/Docs' } });
  });

  it('keeps a large manifest in S3 and only a pointer in the session', async () => {
    serveItems(ddb, []);
    ddb.on(PutCommand).resolves({});
    s3.on(PutObjectCommand).resolves({});
    const count = LIMITS.inlineManifestMaxChunks + 1;
    const chunks = Array.from({ length: count }, (_, i) => ({ hash: sha256(`chunk ${i}`), size: 1 }));

    const res = await call(handler, apiEvent({ body: { path: '/big.bin', size: count, contentHash: contentHashOfChunks(chunks.map((c) => c.hash)), chunks } }));

    expect(res.status).toBe(200);
    expect(res.body.urls).toHaveLength(LIMITS.uploadUrlBatch);
    expect(res.body.missing).toHaveLength(count);
    const [object] = s3.commandCalls(PutObjectCommand).map((c) => c.args[0].input);
    expect(object.Key).toMatch(new RegExp(`^manifests/${OWNER}/[0-9a-f]{64}\\.json$`));
    expect(JSON.parse(object.Body as string).chunks).toEqual(chunks);
    expect(putItems()[0].manifest).toEqual({ kind: 's3', hash: expect.stringMatching(/^[0-9a-f]{64}$/), key: object.Key, chunkCount: count });
  });
});
