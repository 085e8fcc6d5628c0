import './env';
import { CopyObjectCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, S3Client } from '@aws-sdk/client-s3';
import { BatchGetCommand, DynamoDBDocumentClient, PutCommand, TransactWriteCommand, type PutCommandInput, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { revisionUploadIdFor, uploadIdFor } from '@domain/uploads';
import { handler as commitUpload } from '../../../lambdas/api/commit-upload';
import { handler as startUpload } from '../../../lambdas/api/start-upload';
import { handler as uploadUrls } from '../../../lambdas/api/upload-urls';
import { contentHashOfChunks } from '../../support/content-hash';
import { apiEvent, call, chunkItem, EDITOR, FILE_ID, fileMetaItem, OWNER, serveItems, sha256, shareItem, STRANGER, stored, VIEWER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
beforeEach(() => {
  ddb.reset();
  s3.reset();
  // Storage holds nothing unless a test says so (a commit looks there for chunks it finds unregistered).
  s3.on(HeadObjectCommand).rejects(new NotFound({ message: 'Not Found', $metadata: { httpStatusCode: 404 } }));
});

/**
 * The editor's new revision: c1 is a chunk of the file's current content (revision 2), c2 is a chunk
 * the owner holds elsewhere (an unshared secret), c3 the editor proved to hold by sending it earlier.
 */
const [c1, c2, c3] = ['in the shared file', "the owner's secret", 'sent by the editor'].map(sha256);
const content = { size: 30, contentHash: contentHashOfChunks([c1, c2, c3]), chunks: [{ hash: c1, size: 10 }, { hash: c2, size: 10 }, { hash: c3, size: 10 }] };
const uploadId = revisionUploadIdFor(EDITOR, FILE_ID, content.contentHash, content.chunks);
const shares = [shareItem(EDITOR, 'editor'), shareItem(VIEWER, 'viewer')];
/** Revision 2 of FILE_ID, the current content: one chunk, c1. */
const currentContent = { ...fileMetaItem(), sk: 'REV#0000000002', manifest: { kind: 'inline', hash: 'r'.repeat(64), chunks: [{ hash: c1, size: 10 }] } };
const heldByEditor = (hash: string) => ({ pk: `HELD#${OWNER}#${EDITOR}`, sk: hash, size: 10, provenAt: '2026-01-02T00:00:00.000Z' });
const ownerHolds = [chunkItem(OWNER, c1, 10), chunkItem(OWNER, c2, 10), chunkItem(OWNER, c3, 10)];

/** The session an editor's start writes (as stored), with the file since moved to /Moved/a.txt by its owner. */
const editorSession = (extra: Record<string, unknown> = {}) => ({
  pk: `UPLOAD#${uploadId}`,
  sk: 'META',
  uploadId,
  ownerId: OWNER,
  uploaderId: EDITOR,
  fileId: FILE_ID,
  path: '/Docs/a.txt',
  size: 30,
  contentHash: content.contentHash,
  mimeType: 'text/plain',
  chunkCount: 3,
  manifest: { kind: 'inline', hash: 'm'.repeat(64), chunks: content.chunks },
  createdAt: '2026-01-01T00:00:00.000Z',
  ttl: 2_000_000_000,
  baseContentRevision: 2,
  ...extra,
});
const moved = fileMetaItem({ path: '/Moved/a.txt' });

const start = (sub: string, fileId = FILE_ID) => call(startUpload, apiEvent({ sub, params: { fileId }, body: content }));
const urls = (sub: string, body: Record<string, unknown> = { hashes: [c2] }) => call(uploadUrls, apiEvent({ sub, params: { uploadId }, body }));
const commit = (sub: string, expectedRevision = 2) => call(commitUpload, apiEvent({ sub, params: { uploadId }, body: { expectedRevision } }));

type Items = NonNullable<TransactWriteCommandInput['TransactItems']>;
const transactions = (): Items[] => ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);
const pathOf = (url: string) => new URL(url).pathname;
const stagedPath = (hash: string) => `/staging/${OWNER}/${EDITOR}/${hash}`;

describe('POST /files/{fileId}/uploads', () => {
  it("lets an editor skip only chunks of the file's current content and chunks it sent itself; the owner's other chunks are missing", async () => {
    serveItems(ddb, [fileMetaItem(), currentContent, ...shares, ...ownerHolds, heldByEditor(c3)]);
    ddb.on(PutCommand).resolves({});

    const res = await start(EDITOR);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ uploadId, missing: [c2], existing: { fileId: FILE_ID, revision: 2 } });
    expect(res.body.urls.map((u: { url: string }) => pathOf(u.url))).toEqual([stagedPath(c2)]);
    expect(ddb.commandCalls(PutCommand)[0].args[0].input.Item).toMatchObject({
      ownerId: OWNER,
      uploaderId: EDITOR,
      fileId: FILE_ID,
      path: '/Docs/a.txt',
      baseContentRevision: 2,
    });
  });

  it("answers for a chunk the owner holds exactly as for one nobody holds: no registry read reaches the owner's other chunks", async () => {
    serveItems(ddb, [fileMetaItem(), currentContent, ...shares, ...ownerHolds]);
    ddb.on(PutCommand).resolves({});
    const held = await start(EDITOR);
    ddb.reset();
    serveItems(ddb, [fileMetaItem(), currentContent, ...shares, chunkItem(OWNER, c1, 10)]);
    ddb.on(PutCommand).resolves({});

    const unknown = await start(EDITOR);

    const shape = (res: typeof held) => ({ status: res.status, missing: res.body.missing, urls: res.body.urls.map((u: { url: string }) => pathOf(u.url)) });
    expect(shape(held)).toEqual(shape(unknown));
    expect(shape(held).missing).toEqual([c2, c3]);
    const registryReads = ddb.commandCalls(BatchGetCommand).flatMap((c) => c.args[0].input.RequestItems!.FileMetadata.Keys!).filter((k) => String(k.pk).startsWith('CHUNKS#'));
    expect(registryReads.map((k) => k.sk)).toEqual([c1]);
  });

  it('gives the owner a session of their own (no uploader recorded) deduplicated over the whole namespace, distinct from any path upload', async () => {
    serveItems(ddb, [fileMetaItem(), ...ownerHolds.slice(0, 2)]);
    ddb.on(PutCommand).resolves({});

    const res = await start(OWNER);

    expect(res.body.uploadId).toBe(revisionUploadIdFor(OWNER, FILE_ID, content.contentHash, content.chunks));
    expect(res.body.uploadId).not.toBe(uploadIdFor(OWNER, '/Docs/a.txt', content.contentHash, content.chunks));
    expect(res.body.missing).toEqual([c3]);
    expect(pathOf(res.body.urls[0].url)).toBe(`/chunks/${OWNER}/${c3}`);
    const session = ddb.commandCalls(PutCommand)[0].args[0].input.Item!;
    expect(session.uploaderId).toBeUndefined();
    expect(session.baseContentRevision).toBeUndefined();
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
  it("hands out URLs to the editor's staging keys while the share lasts, for the owner's chunks too", async () => {
    serveItems(ddb, [fileMetaItem(), currentContent, editorSession(), ...shares, ...ownerHolds]);

    const res = await urls(EDITOR, { hashes: [c2, c3] });

    expect(res.status).toBe(200);
    expect(res.body.missing).toEqual([c2, c3]);
    expect(res.body.urls.map((u: { url: string }) => pathOf(u.url))).toEqual([stagedPath(c2), stagedPath(c3)]);
  });

  it("verifies the editor's staged objects, never the owner's chunk keys: staged bytes that match are proven and put in place", async () => {
    // Prepare: the editor staged good bytes for c2 earlier (their notification never came); the owner holds c2
    const good = Buffer.from('x'.repeat(10));
    const goodHash = sha256(good);
    const manifest = [{ hash: c1, size: 10 }, { hash: goodHash, size: 10 }];
    const session = editorSession({ manifest: { kind: 'inline', hash: 'm'.repeat(64), chunks: manifest } });
    serveItems(ddb, [fileMetaItem(), currentContent, session, ...shares, chunkItem(OWNER, c1, 10), chunkItem(OWNER, goodHash, 10)]);
    ddb.on(PutCommand).resolves({});
    s3.on(GetObjectCommand, { Key: `staging/${OWNER}/${EDITOR}/${goodHash}` }).resolves({ ...stored(good), VersionId: 'v-staged' });
    s3.on(DeleteObjectCommand).resolves({});

    // Act
    const res = await urls(EDITOR, { hashes: [goodHash], verify: true });

    // Assess
    expect(res.body).toEqual({ urls: [], missing: [] });
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).toEqual([`staging/${OWNER}/${EDITOR}/${goodHash}`]);
    expect(s3.commandCalls(CopyObjectCommand)).toHaveLength(0);
    expect(ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item)).toEqual([expect.objectContaining({ pk: `HELD#${OWNER}#${EDITOR}`, sk: goodHash, size: 10 })]);
    expect(s3.commandCalls(DeleteObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'chunk-bucket', Key: `staging/${OWNER}/${EDITOR}/${goodHash}`, VersionId: 'v-staged' },
    ]);
  });

  it('answers an unverifiable staged key as missing, exactly as for a chunk nobody holds', async () => {
    serveItems(ddb, [fileMetaItem(), currentContent, editorSession(), ...shares, ...ownerHolds]);
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'not staged', $metadata: {} }));

    const res = await urls(EDITOR, { hashes: [c2], verify: true });

    expect(res.body.missing).toEqual([c2]);
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).toEqual([`staging/${OWNER}/${EDITOR}/${c2}`]);
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
  const registered = ownerHolds;
  const journal = { pk: `NS#${OWNER}`, sk: 'SEQ', seq: 9 };
  const entitled = [currentContent, heldByEditor(c2), heldByEditor(c3)];

  it("makes the file's next revision where the file is now, journaled in the owner's namespace", async () => {
    serveItems(ddb, [moved, editorSession(), ...shares, ...registered, ...entitled, journal]);
    ddb.on(TransactWriteCommand).resolves({});

    const res = await commit(EDITOR);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ fileId: FILE_ID, ownerId: OWNER, path: '/Moved/a.txt', revision: 3, size: 30, contentHash: content.contentHash });
    const [[counter, entry, file, revision, path, folder, session]] = transactions();
    expect(counter.Update!.Key).toEqual({ pk: `NS#${OWNER}`, sk: 'SEQ' });
    expect(entry.Put!.Item).toMatchObject({ pk: `JRNL#${OWNER}`, type: 'put', fileId: FILE_ID, revision: 3 });
    expect(file.Put).toMatchObject({ Item: { ownerId: OWNER, revision: 3, contentRevision: 3 }, ExpressionAttributeValues: { ':expected': 2 } });
    expect(revision.Put!.Item).toMatchObject({ sk: 'REV#0000000003', manifest: { chunks: content.chunks } });
    expect(path.Put!.Item).toMatchObject({ pk: `NS#${OWNER}`, sk: 'PATH#/moved/a.txt', fileId: FILE_ID, revision: 3 });
    expect(folder.Update!.Key).toEqual({ pk: `NS#${OWNER}`, sk: 'PATH#/moved' });
    expect(session.Update!.ExpressionAttributeValues).toEqual({ ':committed': { fileId: FILE_ID, revision: 3 } });
  });

  it("never commits a chunk the editor only named: the owner's copy does not count, and its size is not told", async () => {
    // c2 is registered in the owner's namespace at another size than the manifest claims; the editor never sent it
    serveItems(ddb, [fileMetaItem(), editorSession(), ...shares, chunkItem(OWNER, c1, 10), chunkItem(OWNER, c2, 77), chunkItem(OWNER, c3, 10), currentContent, heldByEditor(c3), journal]);

    const res = await commit(EDITOR);

    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'CHUNKS_MISSING', message: expect.any(String), details: { missing: [c2], missingCount: 1 } });
    expect(JSON.stringify(res.body)).not.toContain('77');
    expect(transactions()).toHaveLength(0);
  });

  it("answers 202 pending for a chunk the editor's staging key holds but the tracker has not proven yet, looking nowhere else", async () => {
    serveItems(ddb, [fileMetaItem(), editorSession(), ...shares, ...ownerHolds, currentContent, heldByEditor(c3), journal]);
    s3.on(HeadObjectCommand).resolves({});

    const res = await commit(EDITOR);

    expect(res.status).toBe(202);
    expect(res.body).toEqual({ status: 'pending', pending: [c2], pendingCount: 1, retryAfterMs: expect.any(Number) });
    expect(s3.commandCalls(HeadObjectCommand).map((c) => c.args[0].input.Key)).toEqual([`staging/${OWNER}/${EDITOR}/${c2}`]);
    expect(transactions()).toHaveLength(0);
  });

  it('counts the content of the revision the session started from, not a newer one (a session from before bases were recorded uses the current one)', async () => {
    const newer = { ...fileMetaItem({ revision: 3, contentRevision: 3 }), sk: 'REV#0000000003', manifest: { kind: 'inline', hash: 'n'.repeat(64), chunks: [{ hash: c2, size: 10 }] } };
    serveItems(ddb, [fileMetaItem({ revision: 3, contentRevision: 3 }), currentContent, newer, editorSession(), ...shares, ...registered, heldByEditor(c3), journal]);

    const fromBase = await commit(EDITOR, 3);
    ddb.reset();
    serveItems(ddb, [fileMetaItem({ revision: 3, contentRevision: 3 }), currentContent, newer, editorSession({ baseContentRevision: undefined }), ...shares, ...registered, heldByEditor(c3), journal]);
    ddb.on(TransactWriteCommand).resolves({});
    const legacy = await commit(EDITOR, 3);

    expect(fromBase.body.error).toMatchObject({ code: 'CHUNKS_MISSING', details: { missing: [c2] } });
    expect(legacy.body.error).toMatchObject({ code: 'CHUNKS_MISSING', details: { missing: [c1] } });
  });

  it('answers 409 with the current revision when the owner changed the file first', async () => {
    serveItems(ddb, [fileMetaItem({ revision: 4 }), editorSession(), ...shares, ...registered, ...entitled, journal]);

    const res = await commit(EDITOR, 2);

    expect(res.body.error).toMatchObject({ code: 'REVISION_CONFLICT', details: { currentRevision: 4, fileId: FILE_ID } });
  });

  it.each([
    ['the share was revoked', [fileMetaItem()], [], 404],
    ['the editor became a viewer', [fileMetaItem()], [shareItem(EDITOR, 'viewer')], 403],
    ['the file was deleted', [fileMetaItem({ status: 'deleted', revision: 3 })], shares, 404],
  ])('commits nothing once %s', async (_what, file, grant, status) => {
    serveItems(ddb, [...file, editorSession(), ...grant, ...registered, ...entitled, journal]);

    const res = await commit(EDITOR);

    expect(res.status).toBe(status);
    expect(transactions()).toHaveLength(0);
  });
});

/**
 * The same rules for an editor's open upload (open-uploads.ts), which names its chunks at the start,
 * in later URL requests or only in the commit's manifest: whichever, it skips only what it is
 * entitled to, and the content hash is the one the commit's manifest gives.
 */
describe("an editor's open upload", () => {
  const sessionKey = 'abcdef0123456789'.repeat(2);
  const journal = { pk: `NS#${OWNER}`, sk: 'SEQ', seq: 9 };

  /** Serves `items`, keeping the sessions written so later calls read them back, as DynamoDB would. */
  function serveWithSessions(items: Record<string, unknown>[]) {
    const byKey = serveItems(ddb, items);
    ddb.on(PutCommand).callsFake((input: PutCommandInput) => {
      byKey.set(`${input.Item?.pk}|${input.Item?.sk}`, input.Item as Record<string, unknown>);
      return {};
    });
    ddb.on(TransactWriteCommand).resolves({});
  }
  const openStart = (chunks: readonly { hash: string; size: number }[]) =>
    call(startUpload, apiEvent({ sub: EDITOR, params: { fileId: FILE_ID }, body: { sessionKey, size: content.size, chunks } }));
  const openUrls = (id: string, hashes: string[], verify?: boolean) =>
    call(uploadUrls, apiEvent({ sub: EDITOR, params: { uploadId: id }, body: { hashes, ...(verify ? { verify } : {}) } }));
  const openCommit = (id: string, manifest: { contentHash: string; chunks: readonly { hash: string; size: number }[] }) =>
    call(commitUpload, apiEvent({ sub: EDITOR, params: { uploadId: id }, body: { expectedRevision: 2, manifest: { contentHash: manifest.contentHash, chunks: manifest.chunks } } }));
  const urlPaths = (res: { body: { urls: { url: string }[] } }) => res.body.urls.map((u) => pathOf(u.url));
  const registryReadsOf = (hash: string) =>
    ddb
      .commandCalls(BatchGetCommand)
      .flatMap((c) => c.args[0].input.RequestItems!.FileMetadata.Keys!)
      .filter((k) => k.pk === `CHUNKS#${OWNER}` && k.sk === hash);

  it("skips at the start only what it is entitled to, and keeps the content it started from for later requests", async () => {
    serveWithSessions([fileMetaItem(), currentContent, ...shares, ...ownerHolds, heldByEditor(c3)]);

    const res = await openStart(content.chunks);

    expect(res.status).toBe(200);
    expect(res.body.missing).toEqual([c2]);
    expect(urlPaths(res)).toEqual([stagedPath(c2)]);
    expect(registryReadsOf(c2)).toEqual([]);
    expect(ddb.commandCalls(PutCommand)[0].args[0].input.Item).toMatchObject({ open: true, ownerId: OWNER, uploaderId: EDITOR, fileId: FILE_ID, baseContentRevision: 2 });
  });

  it.each([false, true])("is told a chunk it names later (verify: %s) is missing, with a URL to its staging key, whatever the owner holds", async (verify) => {
    // Prepare: the owner holds c2; nothing is staged under the editor's key
    serveWithSessions([fileMetaItem(), currentContent, ...shares, ...ownerHolds]);
    s3.on(GetObjectCommand).rejects(new NoSuchKey({ message: 'not staged', $metadata: {} }));
    const { uploadId: id } = (await openStart([])).body;

    // Act
    const res = await openUrls(id, [c1, c2], verify);

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.missing).toEqual([c2]);
    expect(urlPaths(res)).toEqual([stagedPath(c2)]);
    expect(registryReadsOf(c2)).toEqual([]);
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key)).toEqual(verify ? [`staging/${OWNER}/${EDITOR}/${c2}`] : []);
  });

  it("cannot commit a chunk it names only in the manifest: the owner's copy does not count, and its size is not told", async () => {
    serveWithSessions([fileMetaItem(), currentContent, ...shares, chunkItem(OWNER, c1, 10), chunkItem(OWNER, c2, 77), chunkItem(OWNER, c3, 10), heldByEditor(c3), journal]);
    const { uploadId: id } = (await openStart([])).body;

    const res = await openCommit(id, content);

    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'CHUNKS_MISSING', message: expect.any(String), details: { missing: [c2], missingCount: 1 } });
    expect(JSON.stringify(res.body)).not.toContain('77');
    expect(transactions()).toHaveLength(0);
  });

  it.each([
    ["the file's current content hash", { ...content, contentHash: fileMetaItem().contentHash as string }, 'CONTENT_HASH_MISMATCH'],
    ['the hash of other chunks', { ...content, contentHash: contentHashOfChunks([c1]) }, 'CONTENT_HASH_MISMATCH'],
    ['one chunk at two sizes', { contentHash: contentHashOfChunks([c1, c1]), chunks: [{ hash: c1, size: 10 }, { hash: c1, size: 20 }] }, 'CHUNK_SIZE_CONFLICT'],
  ])('refuses a commit whose manifest declares %s (400), before any session of it is written', async (_case, manifest, code) => {
    serveWithSessions([fileMetaItem(), currentContent, ...shares, ...ownerHolds, ...[c1, c2, c3].map(heldByEditor), journal]);
    const { uploadId: id } = (await openStart([])).body;
    const res = await openCommit(id, manifest);

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(1);
    expect(transactions()).toHaveLength(0);
  });

  it('commits what it is entitled to as the closed session of that content, carrying the hash the service computed', async () => {
    serveWithSessions([fileMetaItem(), currentContent, ...shares, ...ownerHolds, heldByEditor(c2), heldByEditor(c3), journal]);
    const { uploadId: id } = (await openStart([])).body;

    const res = await openCommit(id, content);

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ fileId: FILE_ID, revision: 3, contentHash: content.contentHash });
    expect(ddb.commandCalls(PutCommand).at(-1)!.args[0].input.Item).toMatchObject({ uploadId, uploaderId: EDITOR, contentHash: content.contentHash, baseContentRevision: 2 });
  });
});
