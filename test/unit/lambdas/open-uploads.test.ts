/**
 * Open uploads through the real handlers over mocked DynamoDB and S3: a start under a session key
 * with the chunks known so far, URLs for chunks named later, and the commit that brings the manifest
 * and is carried out as the closed session of that content. Forms are never mixed.
 */
import './env';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand, type PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { uploadIdFor } from '@domain/uploads';
import { handler as commitHandler } from '../../../lambdas/api/commit-upload';
import { handler as startHandler } from '../../../lambdas/api/start-upload';
import { handler as urlsHandler } from '../../../lambdas/api/upload-urls';
import { contentHashOfChunks } from '../../support/content-hash';
import { apiEvent, call, chunkItem, OWNER, serveItems, sha256, STRANGER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);

const [c1, c2, c3] = ['one', 'two', 'three'].map(sha256);
const sessionKey = '0123456789abcdef'.repeat(2);
const chunks = [
  { hash: c1, size: 10 },
  { hash: c2, size: 10 },
  { hash: c3, size: 10 },
];
const contentHash = contentHashOfChunks(chunks.map((c) => c.hash));
const path = '/Docs/open.bin';

let items: Map<string, Record<string, unknown>>;
beforeEach(() => {
  ddb.reset();
  s3.reset();
  items = serveItems(ddb, [chunkItem(OWNER, c1, 10), { pk: `NS#${OWNER}`, sk: 'SEQ', seq: 7 }]);
  // Sessions written are read back, as DynamoDB would.
  ddb.on(PutCommand).callsFake((input: PutCommandInput) => {
    items.set(`${input.Item?.pk}|${input.Item?.sk}`, input.Item as Record<string, unknown>);
    return {};
  });
  ddb.on(TransactWriteCommand).resolves({});
});

const start = (body: Record<string, unknown>, sub?: string) => call(startHandler, apiEvent({ sub, body: { path, size: 30, ...body } }));
const urls = (uploadId: string, hashes: string[]) => call(urlsHandler, apiEvent({ params: { uploadId }, body: { hashes } }));
const commit = (uploadId: string, body: Record<string, unknown>) => call(commitHandler, apiEvent({ params: { uploadId }, body: { expectedRevision: 0, ...body } }));
const sessionsWritten = () => ddb.commandCalls(PutCommand).map((c) => c.args[0].input.Item ?? {}).filter((i) => String(i.pk).startsWith('UPLOAD#'));

describe('an open upload', () => {
  it('starts with the chunks known so far, answering which are missing; a retried start finds the same session', async () => {
    // Act
    const first = await start({ sessionKey, chunks: chunks.slice(0, 2) });
    const again = await start({ sessionKey, chunks: chunks.slice(0, 2) });

    // Assess
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ missing: [c2], existing: null });
    expect(first.body.urls.map((u: { hash: string }) => u.hash)).toEqual([c2]);
    expect(again.body.uploadId).toBe(first.body.uploadId);
    expect(first.body.uploadId).not.toBe(uploadIdFor(OWNER, path, contentHash, chunks));
    expect(sessionsWritten()).toEqual([expect.objectContaining({ open: true, ownerId: OWNER, path, size: 30 })]);
    expect(sessionsWritten()[0].manifest).toBeUndefined();
  });

  it('hands out URLs for chunks it names later, which no manifest lists yet', async () => {
    // Prepare
    const { uploadId } = (await start({ sessionKey, chunks: [] })).body;

    // Act
    const later = await urls(uploadId, [c1, c3]);

    // Assess
    expect(later.status).toBe(200);
    expect(later.body.missing).toEqual([c3]);
    expect(later.body.urls.map((u: { hash: string }) => u.hash)).toEqual([c3]);
  });

  it('commits with its manifest as the closed session of that content (its id, its checks, its transaction)', async () => {
    // Prepare
    const { uploadId } = (await start({ sessionKey, chunks: [] })).body;
    for (const c of chunks) items.set(`CHUNKS#${OWNER}|${c.hash}`, chunkItem(OWNER, c.hash, c.size));

    // Act
    const committed = await commit(uploadId, { manifest: { contentHash, chunks } });

    // Assess
    expect(committed.status).toBe(200);
    expect(committed.body).toMatchObject({ path, size: 30, contentHash, chunkCount: 3, revision: 1 });
    const closedId = uploadIdFor(OWNER, path, contentHash, chunks);
    expect(sessionsWritten().at(-1)).toMatchObject({ uploadId: closedId, contentHash, chunkCount: 3 });
    const [transaction] = ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems ?? []);
    expect(transaction.at(-1)?.Update).toMatchObject({ Key: { pk: `UPLOAD#${closedId}`, sk: 'META' } });
  });

  it('answers 409 CHUNKS_MISSING at the commit for chunks never stored, as a closed upload would', async () => {
    const { uploadId } = (await start({ sessionKey, chunks: [] })).body;

    const committed = await commit(uploadId, { manifest: { contentHash, chunks } });

    expect(committed.status).toBe(409);
    expect(committed.body.error).toMatchObject({ code: 'CHUNKS_MISSING', details: { missing: [c2, c3] } });
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it.each([
    ['a manifest that does not add up to the declared size', { manifest: { contentHash, chunks: chunks.slice(0, 2) } }, 'body.chunks'],
    ['no manifest', {}, 'body.manifest'],
  ])('refuses a commit with %s (400)', async (_case, body, field) => {
    const { uploadId } = (await start({ sessionKey, chunks: [] })).body;

    const committed = await commit(uploadId, body);

    expect(committed.status).toBe(400);
    expect(committed.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field } });
  });

  it('refuses a manifest at the commit of a closed upload, which declared it at its start', async () => {
    const { uploadId } = (await start({ contentHash, chunks })).body;

    const committed = await commit(uploadId, { manifest: { contentHash, chunks } });

    expect(committed.status).toBe(400);
    expect(committed.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'body.manifest' } });
  });

  it.each([
    ['both forms', { contentHash, sessionKey, chunks }],
    ['neither form', { chunks }],
    ['chunks beyond the declared size', { sessionKey, chunks: [...chunks, { hash: c1, size: 10 }] }],
  ])('refuses a start with %s (400)', async (_case, body) => {
    const res = await start(body);

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(sessionsWritten()).toEqual([]);
  });

  it('belongs to whoever started it: anyone else gets 404 for its URLs and its commit', async () => {
    const { uploadId } = (await start({ sessionKey, chunks: [] })).body;

    const otherUrls = await call(urlsHandler, apiEvent({ sub: STRANGER, params: { uploadId }, body: { hashes: [c2] } }));
    const otherCommit = await call(commitHandler, apiEvent({ sub: STRANGER, params: { uploadId }, body: { expectedRevision: 0, manifest: { contentHash, chunks } } }));

    expect([otherUrls.status, otherCommit.status]).toEqual([404, 404]);
    expect(otherCommit.body.error.code).toBe('UPLOAD_NOT_FOUND');
  });
});
