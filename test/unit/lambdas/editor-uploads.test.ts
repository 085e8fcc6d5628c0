import './env';
import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { revisionUploadIdFor, uploadIdFor } from '@domain/uploads';
import { handler as commitUpload } from '../../../lambdas/api/commit-upload';
import { handler as startUpload } from '../../../lambdas/api/start-upload';
import { handler as uploadUrls } from '../../../lambdas/api/upload-urls';
import { apiEvent, call, chunkItem, EDITOR, FILE_ID, fileMetaItem, OWNER, serveItems, sha256, shareItem, STRANGER, VIEWER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
beforeEach(() => {
  ddb.reset();
  s3.reset();
});

const [c1, c2] = ['one', 'two'].map(sha256);
const content = { size: 20, contentHash: sha256('new content'), chunks: [{ hash: c1, size: 10 }, { hash: c2, size: 10 }] };
const uploadId = revisionUploadIdFor(EDITOR, FILE_ID, content.contentHash, content.chunks);
const shares = [shareItem(EDITOR, 'editor'), shareItem(VIEWER, 'viewer')];

/** The session an editor's start writes (as stored), with the file since moved to /Moved/a.txt by its owner. */
const editorSession = (extra: Record<string, unknown> = {}) => ({
  pk: `UPLOAD#${uploadId}`,
  sk: 'META',
  uploadId,
  ownerId: OWNER,
  uploaderId: EDITOR,
  fileId: FILE_ID,
  path: '/Docs/a.txt',
  size: 20,
  contentHash: content.contentHash,
  mimeType: 'text/plain',
  chunkCount: 2,
  manifest: { kind: 'inline', hash: 'm'.repeat(64), chunks: content.chunks },
  createdAt: '2026-01-01T00:00:00.000Z',
  ttl: 2_000_000_000,
  ...extra,
});
const moved = fileMetaItem({ path: '/Moved/a.txt' });

const start = (sub: string, fileId = FILE_ID) => call(startUpload, apiEvent({ sub, params: { fileId }, body: content }));
const urls = (sub: string) => call(uploadUrls, apiEvent({ sub, params: { uploadId }, body: { hashes: [c2] } }));
const commit = (sub: string, expectedRevision = 2) => call(commitUpload, apiEvent({ sub, params: { uploadId }, body: { expectedRevision } }));

type Items = NonNullable<TransactWriteCommandInput['TransactItems']>;
const transactions = (): Items[] => ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);

describe('POST /files/{fileId}/uploads', () => {
  it("lets an editor upload a new revision into the owner's namespace, in a session only the editor may use", async () => {
    serveItems(ddb, [fileMetaItem(), ...shares, chunkItem(OWNER, c1, 10)]);
    ddb.on(PutCommand).resolves({});

    const res = await start(EDITOR);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ uploadId, missing: [c2], existing: { fileId: FILE_ID, revision: 2 } });
    expect(new URL(res.body.urls[0].url).pathname).toBe(`/chunks/${OWNER}/${c2}`);
    const lookedUp = ddb.commandCalls(BatchGetCommand).flatMap((c) => c.args[0].input.RequestItems!.FileMetadata.Keys!);
    expect(lookedUp.map((k) => k.pk)).toEqual([`CHUNKS#${OWNER}`, `CHUNKS#${OWNER}`]);
    expect(ddb.commandCalls(PutCommand)[0].args[0].input.Item).toMatchObject({ ownerId: OWNER, uploaderId: EDITOR, fileId: FILE_ID, path: '/Docs/a.txt' });
  });

  it('gives the owner a session of their own (no uploader recorded), distinct from any path upload', async () => {
    serveItems(ddb, [fileMetaItem()]);
    ddb.on(PutCommand).resolves({});

    const res = await start(OWNER);

    expect(res.body.uploadId).toBe(revisionUploadIdFor(OWNER, FILE_ID, content.contentHash, content.chunks));
    expect(res.body.uploadId).not.toBe(uploadIdFor(OWNER, '/Docs/a.txt', content.contentHash, content.chunks));
    expect(ddb.commandCalls(PutCommand)[0].args[0].input.Item!.uploaderId).toBeUndefined();
  });

  it.each([
    ['a viewer', VIEWER, [fileMetaItem()], 403],
    ['a stranger', STRANGER, [fileMetaItem()], 404],
    ['an editor of a deleted file', EDITOR, [fileMetaItem({ status: 'deleted' })], 404],
    ['the owner of a deleted file', OWNER, [fileMetaItem({ status: 'deleted' })], 404],
  ])('refuses %s', async (_who, sub, file, status) => {
    serveItems(ddb, [...file, ...shares]);

    const res = await start(sub);

    expect(res.status).toBe(status);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });
});

describe("POST /uploads/{uploadId}/urls of an editor's session", () => {
  it("hands out URLs into the owner's namespace while the share lasts", async () => {
    serveItems(ddb, [fileMetaItem(), editorSession(), ...shares]);
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'not stored yet', $metadata: {} }));

    const res = await urls(EDITOR);

    expect(res.status).toBe(200);
    expect(new URL(res.body.urls[0].url).pathname).toBe(`/chunks/${OWNER}/${c2}`);
  });

  it.each([
    ['once the share is revoked', [], 404],
    ['once the editor became a viewer', [shareItem(EDITOR, 'viewer')], 403],
  ])('hands out none %s', async (_when, grant, status) => {
    serveItems(ddb, [fileMetaItem(), editorSession(), ...grant]);

    const res = await urls(EDITOR);

    expect(res.status).toBe(status);
  });

  it('is not the owner\'s to continue', async () => {
    serveItems(ddb, [fileMetaItem(), editorSession(), ...shares]);

    const res = await urls(OWNER);

    expect(res.body.error.code).toBe('UPLOAD_NOT_FOUND');
  });
});

describe("POST /uploads/{uploadId}/commit of an editor's session", () => {
  const registered = [chunkItem(OWNER, c1, 10), chunkItem(OWNER, c2, 10)];
  const journal = { pk: `NS#${OWNER}`, sk: 'SEQ', seq: 9 };

  it("makes the file's next revision where the file is now, journaled in the owner's namespace", async () => {
    serveItems(ddb, [moved, editorSession(), ...shares, ...registered, journal]);
    ddb.on(TransactWriteCommand).resolves({});

    const res = await commit(EDITOR);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ fileId: FILE_ID, ownerId: OWNER, path: '/Moved/a.txt', revision: 3, size: 20, contentHash: content.contentHash });
    const [[counter, entry, file, revision, path, folder, session]] = transactions();
    expect(counter.Update!.Key).toEqual({ pk: `NS#${OWNER}`, sk: 'SEQ' });
    expect(entry.Put!.Item).toMatchObject({ pk: `JRNL#${OWNER}`, type: 'put', fileId: FILE_ID, revision: 3 });
    expect(file.Put).toMatchObject({ Item: { ownerId: OWNER, revision: 3, contentRevision: 3 }, ExpressionAttributeValues: { ':expected': 2 } });
    expect(revision.Put!.Item).toMatchObject({ sk: 'REV#0000000003', manifest: { chunks: content.chunks } });
    expect(path.Put!.Item).toMatchObject({ pk: `NS#${OWNER}`, sk: 'PATH#/moved/a.txt', fileId: FILE_ID, revision: 3 });
    expect(folder.Update!.Key).toEqual({ pk: `NS#${OWNER}`, sk: 'PATH#/moved' });
    expect(session.Update!.ExpressionAttributeValues).toEqual({ ':committed': { fileId: FILE_ID, revision: 3 } });
  });

  it('answers 409 with the current revision when the owner changed the file first', async () => {
    serveItems(ddb, [fileMetaItem({ revision: 4 }), editorSession(), ...shares, ...registered, journal]);

    const res = await commit(EDITOR, 2);

    expect(res.body.error).toMatchObject({ code: 'REVISION_CONFLICT', details: { currentRevision: 4, fileId: FILE_ID } });
  });

  it.each([
    ['the share was revoked', [fileMetaItem()], [], 404],
    ['the editor became a viewer', [fileMetaItem()], [shareItem(EDITOR, 'viewer')], 403],
    ['the file was deleted', [fileMetaItem({ status: 'deleted', revision: 3 })], shares, 404],
  ])('commits nothing once %s', async (_what, file, grant, status) => {
    serveItems(ddb, [...file, editorSession(), ...grant, ...registered, journal]);

    const res = await commit(EDITOR);

    expect(res.status).toBe(status);
    expect(transactions()).toHaveLength(0);
  });
});
