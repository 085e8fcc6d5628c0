import './env';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { HeadObjectCommand, NotFound, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../lambdas/api/commit-upload';
import { contentHashOfChunks } from '../../support/content-hash';
import { apiEvent, call, chunkItem, FILE_ID, fileMetaItem, OWNER, serveItems, sha256, STRANGER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
beforeEach(() => {
  ddb.reset();
  s3.reset();
  // Storage holds nothing unless a test says so (a commit looks there for chunks it finds unregistered).
  s3.on(HeadObjectCommand).rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }));
});

const uploadId = 'ab'.repeat(16);
const fileId = FILE_ID;
const [c1, c2] = ['one', 'two'].map(sha256);
const manifest = [
  { hash: c1, size: 10 },
  { hash: c2, size: 10 },
  { hash: c1, size: 10 },
];

const session = (extra: Record<string, unknown> = {}) => ({
  pk: `UPLOAD#${uploadId}`,
  sk: 'META',
  uploadId,
  ownerId: OWNER,
  path: '/Docs/a.txt',
  size: 30,
  contentHash: sha256('content'),
  mimeType: 'text/plain',
  chunkCount: 3,
  manifest: { kind: 'inline', hash: 'm'.repeat(64), chunks: manifest },
  createdAt: '2026-01-01T00:00:00.000Z',
  ttl: 2_000_000_000,
  ...extra,
});
const registered = [chunkItem(OWNER, c1, 10), chunkItem(OWNER, c2, 10)];
const currentFile = (revision: number) => [
  { pk: `NS#${OWNER}`, sk: 'PATH#/docs/a.txt', kind: 'file', path: '/Docs/a.txt', name: 'a.txt', fileId, revision },
  fileMetaItem({ size: 5, contentHash: sha256('old'), revision, contentRevision: revision, createdAt: '2025-06-01T00:00:00.000Z' }),
  { pk: `NS#${OWNER}`, sk: 'SEQ', seq: 41 },
];

const commit = (expectedRevision: number, sub?: string) =>
  call(handler, apiEvent({ sub, params: { uploadId }, body: { expectedRevision } }));

type Items = NonNullable<TransactWriteCommandInput['TransactItems']>;
const transactions = (): Items[] => ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('POST /uploads/{uploadId}/commit', () => {
  it('answers 409 CHUNKS_MISSING listing each missing hash once, and writes nothing', async () => {
    serveItems(ddb, [session(), chunkItem(OWNER, c2, 10)]);

    const res = await commit(0);

    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CHUNKS_MISSING', details: { missing: [c1], missingCount: 1 } });
    expect(transactions()).toHaveLength(0);
  });

  it('answers 202 pending, with Retry-After, while storage holds chunks the tracker has not registered yet, and writes nothing', async () => {
    serveItems(ddb, [session()]);
    s3.on(HeadObjectCommand, { Key: `chunks/${OWNER}/${c1}` }).resolves({});
    s3.on(HeadObjectCommand, { Key: `chunks/${OWNER}/${c2}` }).resolves({});

    const res = await commit(0);

    expect(res.status).toBe(202);
    expect(res.headers['retry-after']).toBe('1');
    expect(res.body).toEqual({ status: 'pending', pending: [c1, c2], pendingCount: 2, retryAfterMs: expect.any(Number) });
    expect(transactions()).toHaveLength(0);
  });

  it('answers 409 CHUNKS_MISSING naming only the chunks storage lacks when some are stored and unregistered', async () => {
    serveItems(ddb, [session()]);
    s3.on(HeadObjectCommand, { Key: `chunks/${OWNER}/${c2}` }).resolves({});

    const res = await commit(0);

    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'CHUNKS_MISSING', details: { missing: [c1], missingCount: 1 } });
    expect(transactions()).toHaveLength(0);
  });

  it('refuses a manifest whose sizes disagree with what the tracker measured', async () => {
    serveItems(ddb, [session(), chunkItem(OWNER, c1, 10), chunkItem(OWNER, c2, 9)]);

    const res = await commit(0);

    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { hash: c2, size: 9 } });
  });

  it('stores the content hash of the manifest it verified, never one the session carries (a session from before the service computed it)', async () => {
    serveItems(ddb, [session({ contentHash: sha256('an old whole-file hash') }), ...registered]);
    ddb.on(TransactWriteCommand).resolves({});

    const res = await commit(0);

    const computed = contentHashOfChunks([c1, c2, c1]);
    expect(res.body.contentHash).toBe(computed);
    const [[, journal, file, revision, path]] = transactions();
    for (const item of [journal.Put!.Item, file.Put!.Item, revision.Put!.Item, path.Put!.Item]) expect(item!.contentHash).toBe(computed);
  });

  it('commits a new file in one guarded transaction', async () => {
    serveItems(ddb, [session(), ...registered]);
    ddb.on(TransactWriteCommand).resolves({});

    const res = await commit(0);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ownerId: OWNER, path: '/Docs/a.txt', name: 'a.txt', size: 30, revision: 1, status: 'uploaded', chunkCount: 3 });
    const newId = res.body.fileId;
    expect(newId).toMatch(/^[0-9a-f-]{36}$/);
    const [items] = transactions();
    expect(items).toHaveLength(7);
    const [counter, journal, file, revision, path, folder, marker] = items;
    expect(counter.Update).toMatchObject({
      Key: { pk: `NS#${OWNER}`, sk: 'SEQ' },
      ConditionExpression: 'attribute_not_exists(#seq)',
      ExpressionAttributeValues: { ':next': 1 },
    });
    expect(journal.Put).toMatchObject({
      Item: { pk: `JRNL#${OWNER}`, sk: '000000000001', seq: 1, type: 'put', fileId: newId, path: '/Docs/a.txt', revision: 1, size: 30 },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(file.Put).toMatchObject({ Item: { pk: `FILE#${newId}`, sk: 'META', revision: 1 }, ConditionExpression: 'attribute_not_exists(pk)' });
    expect(file.Put!.Item!.manifest).toBeUndefined();
    expect(revision.Put).toMatchObject({
      Item: { pk: `FILE#${newId}`, sk: 'REV#0000000001', contentRevision: 1, manifest: { kind: 'inline', chunks: manifest } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
    expect(path.Put).toMatchObject({
      Item: { pk: `NS#${OWNER}`, sk: 'PATH#/docs/a.txt', gsi1pk: `DIR#${OWNER}#/docs`, gsi1sk: 'a.txt', kind: 'file', fileId: newId },
      ConditionExpression: 'attribute_not_exists(pk) OR fileId = :fileId',
    });
    expect(folder.Update).toMatchObject({
      Key: { pk: `NS#${OWNER}`, sk: 'PATH#/docs' },
      ConditionExpression: 'attribute_not_exists(pk) OR (#kind = :folder AND attribute_not_exists(movingTo) AND attribute_not_exists(movingFrom) AND attribute_not_exists(deleting))',
      ExpressionAttributeValues: { ':path': '/Docs', ':gsi1pk': `DIR#${OWNER}#/`, ':gsi1sk': 'docs' },
    });
    expect(marker.Update).toMatchObject({
      Key: { pk: `UPLOAD#${uploadId}`, sk: 'META' },
      ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(committed)',
      ExpressionAttributeValues: { ':committed': { fileId: newId, revision: 1 } },
    });
  });

  it('replaces the current revision, keeping the file id, guarded by the revision it read', async () => {
    serveItems(ddb, [session(), ...registered, ...currentFile(2)]);
    ddb.on(TransactWriteCommand).resolves({});

    const res = await commit(2);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ fileId, revision: 3, createdAt: '2025-06-01T00:00:00.000Z' });
    const [[counter, journal, file]] = transactions();
    expect(counter.Update).toMatchObject({ ConditionExpression: '#seq = :last', ExpressionAttributeValues: { ':last': 41, ':next': 42 } });
    expect(journal.Put!.Item).toMatchObject({ sk: '000000000042', revision: 3 });
    expect(file.Put).toMatchObject({ ConditionExpression: '#revision = :expected', ExpressionAttributeValues: { ':expected': 2 } });
  });

  it('answers 409 REVISION_CONFLICT with the current revision for a stale expectation', async () => {
    serveItems(ddb, [session(), ...registered, ...currentFile(2)]);

    const stale = await commit(1);
    const pathTaken = await commit(0);

    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'REVISION_CONFLICT', details: { currentRevision: 2, fileId } });
    expect(pathTaken.body.error.details.currentRevision).toBe(2);
    expect(transactions()).toHaveLength(0);
  });

  it('answers a retried commit with the revision it already made', async () => {
    const snapshot = { ...currentFile(2)[1], sk: 'REV#0000000002', path: '/Docs/a.txt', manifest: session().manifest };
    serveItems(ddb, [session({ committed: { fileId, revision: 2 } }), snapshot]);

    const res = await commit(1);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ fileId, revision: 2, path: '/Docs/a.txt' });
    expect(res.body.manifest).toBeUndefined();
    expect(transactions()).toHaveLength(0);
  });

  it('re-reads and retries when another change took the next journal number', async () => {
    const items = serveItems(ddb, [session(), ...registered, ...currentFile(2)]);
    ddb.on(TransactWriteCommand)
      .callsFakeOnce(() => {
        items.set(`NS#${OWNER}|SEQ`, { pk: `NS#${OWNER}`, sk: 'SEQ', seq: 42 });
        throw cancelled('ConditionalCheckFailed', 'None', 'None', 'None', 'None', 'None', 'None');
      })
      .resolves({});

    const res = await commit(2);

    expect(res.status).toBe(200);
    const [first, second] = transactions();
    expect(first[0].Update!.ExpressionAttributeValues).toMatchObject({ ':last': 41, ':next': 42 });
    expect(second[0].Update!.ExpressionAttributeValues).toMatchObject({ ':last': 42, ':next': 43 });
  });

  it('turns a lost race for the file into REVISION_CONFLICT on the re-read', async () => {
    const items = serveItems(ddb, [session(), ...registered, ...currentFile(2)]);
    ddb.on(TransactWriteCommand).callsFakeOnce(() => {
      for (const item of currentFile(3)) items.set(`${item.pk}|${item.sk}`, item);
      throw cancelled('None', 'None', 'ConditionalCheckFailed', 'None', 'None', 'None', 'None');
    });

    const res = await commit(2);

    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'REVISION_CONFLICT', details: { currentRevision: 3 } });
  });

  it('answers 409 PATH_CONFLICT naming a file that stands where a folder must be', async () => {
    serveItems(ddb, [session(), ...registered, { pk: `NS#${OWNER}`, sk: 'PATH#/docs', kind: 'file', path: '/Docs', name: 'Docs', fileId: 'other' }]);
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'None', 'None', 'None', 'ConditionalCheckFailed', 'None'));

    const res = await commit(0);

    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'PATH_CONFLICT', details: { path: '/Docs' } });
    expect(transactions()).toHaveLength(1);
  });

  it('answers 409 FOLDER_BUSY when a folder of the path is being moved', async () => {
    serveItems(ddb, [session(), ...registered, { pk: `NS#${OWNER}`, sk: 'PATH#/docs', kind: 'folder', path: '/Docs', name: 'Docs', movingTo: '/Elsewhere' }]);
    ddb.on(TransactWriteCommand).rejects(cancelled('None', 'None', 'None', 'None', 'None', 'ConditionalCheckFailed', 'None'));

    const res = await commit(0);

    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'FOLDER_BUSY', details: { path: '/Docs' } });
    expect(transactions()).toHaveLength(1);
  });

  it("answers 404 UPLOAD_NOT_FOUND for someone else's session or an unknown one", async () => {
    serveItems(ddb, [session()]);

    const stranger = await commit(0, STRANGER);
    ddb.reset();
    serveItems(ddb, []);
    const unknown = await commit(0);

    expect(stranger.status).toBe(404);
    expect(stranger.body.error.code).toBe('UPLOAD_NOT_FOUND');
    expect(unknown.body.error.code).toBe('UPLOAD_NOT_FOUND');
  });

  it('commits a 0-byte file: no chunks to check, no manifest to read', async () => {
    serveItems(ddb, [session({ size: 0, contentHash: sha256(''), chunkCount: 0, manifest: { kind: 'inline', hash: 'e', chunks: [] } })]);
    ddb.on(TransactWriteCommand).resolves({});

    const res = await commit(0);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ size: 0, chunkCount: 0, revision: 1 });
  });
});
