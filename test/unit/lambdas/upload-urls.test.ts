import './env';
import { DeleteObjectCommand, GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { uploadIdFor } from '@domain/uploads';
import { handler } from '../../../lambdas/api/upload-urls';
import { contentHashOfChunks } from '../../support/content-hash';
import { apiEvent, call, OWNER, serveItems, sha256, STRANGER, stored } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
beforeEach(() => {
  ddb.reset();
  s3.reset();
});

const [good, bad, absent] = ['good chunk', 'bad chunk', 'absent chunk'].map((s) => Buffer.from(s));
const [goodHash, badHash, absentHash] = [good, bad, absent].map(sha256);
const chunks = [good, bad, absent].map((b) => ({ hash: sha256(b), size: b.length }));
const contentHash = contentHashOfChunks(chunks.map((c) => c.hash));
const uploadId = uploadIdFor(OWNER, '/a.bin', contentHash, chunks);
const session = {
  pk: `UPLOAD#${uploadId}`,
  sk: 'META',
  uploadId,
  ownerId: OWNER,
  path: '/a.bin',
  size: chunks.reduce((n, c) => n + c.size, 0),
  contentHash,
  mimeType: 'application/octet-stream',
  chunkCount: 3,
  manifest: { kind: 'inline', hash: 'm'.repeat(64), chunks },
  createdAt: '2026-01-01T00:00:00.000Z',
  ttl: 2_000_000_000,
};

const keyOf = (hash: string) => `chunks/${OWNER}/${hash}`;

describe('POST /uploads/{uploadId}/urls', () => {
  it('verifies chunks already stored but never registered: registers good bytes, deletes bad ones, signs only what is still missing', async () => {
    // Prepare: nothing registered; storage holds the good chunk, wrong bytes under the bad hash, nothing for the third
    serveItems(ddb, [session]);
    ddb.on(PutCommand).resolves({});
    s3.on(GetObjectCommand, { Key: keyOf(goodHash) }).resolves(stored(good));
    s3.on(GetObjectCommand, { Key: keyOf(badHash) }).resolves(stored(Buffer.from('a partial body')));
    s3.on(GetObjectCommand, { Key: keyOf(absentHash) }).rejects(new NoSuchKey({ message: 'no such key', $metadata: {} }));

    // Act
    const res = await call(handler, apiEvent({ params: { uploadId }, body: { hashes: [goodHash, badHash, absentHash], verify: true } }));

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.missing).toEqual([badHash, absentHash]);
    expect(res.body.urls.map((u: { hash: string }) => u.hash)).toEqual([badHash, absentHash]);
    const registered = ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item);
    expect(registered).toEqual([expect.objectContaining({ pk: `CHUNKS#${OWNER}`, sk: goodHash, size: good.length })]);
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input.Key)).toEqual([keyOf(badHash)]);
  });

  it('reads no object unless asked to verify: a fresh upload\'s URLs cost no storage requests', async () => {
    // Prepare
    serveItems(ddb, [session]);

    // Act
    const res = await call(handler, apiEvent({ params: { uploadId }, body: { hashes: [goodHash, badHash, absentHash] } }));

    // Assess
    expect(res.body.missing).toEqual([goodHash, badHash, absentHash]);
    expect(s3.commandCalls(GetObjectCommand)).toEqual([]);
  });

  it('refuses hashes that are not chunks of the session, and sessions of other users', async () => {
    serveItems(ddb, [session]);

    const foreign = await call(handler, apiEvent({ params: { uploadId }, body: { hashes: [sha256('elsewhere')] } }));
    const stranger = await call(handler, apiEvent({ sub: STRANGER, params: { uploadId }, body: { hashes: [goodHash] } }));

    expect(foreign.status).toBe(400);
    expect(foreign.body.error.code).toBe('VALIDATION_FAILED');
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.code).toBe('UPLOAD_NOT_FOUND');
    expect(s3.commandCalls(GetObjectCommand)).toEqual([]);
  });
});
