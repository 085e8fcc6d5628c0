import './env';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import {
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type BatchWriteCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { ENV } from '@contract/env';
import { LIMITS } from '@contract/limits';
import { uploadIdFor } from '@domain/uploads';
import { handler as commitBatch } from '../../../lambdas/api/commit-upload-batch';
import { handler as startBatch } from '../../../lambdas/api/start-upload-batch';
import { contentHashOfChunks } from '../../support/content-hash';
import { apiEvent, call, chunkItem, FILE_ID, fileMetaItem, OWNER, serveItems, sha256, STRANGER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
beforeEach(() => {
  ddb.reset();
  s3.reset();
});

/** A one-chunk file whose content is `text`. */
const small = (path: string, text: string) => ({
  path,
  size: text.length,
  contentHash: contentHashOfChunks([sha256(text)]),
  chunks: [{ hash: sha256(text), size: text.length }],
});

/** Runs `act` with the batch handlers' time budget capped at `ms` (the setting the local runtime passes on). */
async function withBudget<T>(ms: number, act: () => Promise<T>): Promise<T> {
  process.env[ENV.batchBudgetMs] = String(ms);
  try {
    return await act();
  } finally {
    delete process.env[ENV.batchBudgetMs];
  }
}

const sessionWrites = () =>
  ddb.commandCalls(BatchWriteCommand).flatMap((c) => (c.args[0].input as BatchWriteCommandInput).RequestItems!.FileMetadata.map((r) => r.PutRequest!.Item!));

describe('POST /upload-batches', () => {
  it('starts every file with one batched read per kind and one batched write, answering in request order', async () => {
    // Prepare
    const files = Array.from({ length: 30 }, (_, i) => small(`/many/f${i}.txt`, `content ${i}`));
    serveItems(ddb, [chunkItem(OWNER, files[0].chunks[0].hash, files[0].size)]);
    ddb.on(BatchWriteCommand).resolves({});

    // Act
    const res = await call(startBatch, apiEvent({ body: { uploads: files } }));

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(30);
    res.body.results.forEach((r: any, i: number) => {
      expect(r.ok).toBe(true);
      expect(r.upload.uploadId).toBe(uploadIdFor(OWNER, files[i].path, files[i].contentHash, files[i].chunks));
      expect(r.upload.missing).toEqual(i === 0 ? [] : [files[i].chunks[0].hash]);
      expect(r.upload.urls.map((u: { hash: string }) => u.hash)).toEqual(r.upload.missing);
    });
    expect(sessionWrites().map((s) => s.path)).toEqual(files.map((f) => f.path));
    expect(sessionWrites()[1]).toMatchObject({ ownerId: OWNER, size: files[1].size, chunkCount: 1, manifest: { kind: 'inline' } });
  });

  it('signs the compression asked for into each file\'s URLs', async () => {
    // Prepare
    serveItems(ddb, []);
    ddb.on(BatchWriteCommand).resolves({});

    // Act
    const res = await call(startBatch, apiEvent({ body: { uploads: [{ ...small('/a.txt', 'aaaa'), compression: 'gzip' }, small('/b.bin', 'bbbb')] } }));

    // Assess
    const [gz, plain] = res.body.results.map((r: any) => r.upload.urls[0]);
    expect(gz.headers).toEqual({ 'if-none-match': '*', 'x-amz-meta-tote-compression': 'gzip' });
    expect(new URL(gz.url).searchParams.get('X-Amz-SignedHeaders')).toBe('host;if-none-match;x-amz-meta-tote-compression');
    expect(plain.headers).toEqual({ 'if-none-match': '*', 'x-amz-checksum-sha256': Buffer.from(plain.hash, 'hex').toString('base64') });
    expect(new URL(plain.url).searchParams.get('X-Amz-SignedHeaders')).toBe('host;if-none-match;x-amz-checksum-sha256');
  });

  it('answers a file refused for its own reasons in its place and starts the others', async () => {
    // Prepare
    serveItems(ddb, [
      { pk: `NS#${OWNER}`, sk: 'PATH#/docs', kind: 'folder', path: '/Docs', name: 'Docs' },
      { pk: `NS#${OWNER}`, sk: 'PATH#/docs/a.txt', kind: 'file', path: '/Docs/a.txt', name: 'a.txt', fileId: FILE_ID, revision: 2 },
    ]);
    ddb.on(BatchWriteCommand).resolves({});
    const wrongSize = { ...small('/bad.txt', 'xyz'), size: 4 };
    const wrongHash = { ...small('/hash.txt', 'abc'), contentHash: sha256('abc') };
    const [c1, c2] = [sha256('one'), sha256('two')];
    const twoSizes = { path: '/twice.txt', size: 7, contentHash: contentHashOfChunks([c1, c2, c1]), chunks: [{ hash: c1, size: 3 }, { hash: c2, size: 3 }, { hash: c1, size: 1 }] };

    // Act
    const res = await call(startBatch, apiEvent({ body: { uploads: [small('/Docs', 'x'), wrongSize, small('/Docs/a.txt', 'new'), small('/ok.txt', 'ok'), wrongHash, twoSizes] } }));

    // Assess
    const [folder, sizes, replace, ok, hash, conflict] = res.body.results;
    expect(folder).toMatchObject({ ok: false, error: { code: 'PATH_CONFLICT', details: { path: '/Docs' } } });
    expect(sizes).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: { field: 'body.chunks' } } });
    expect(hash).toMatchObject({ ok: false, error: { code: 'CONTENT_HASH_MISMATCH', details: { expected: small('/hash.txt', 'abc').contentHash } } });
    expect(conflict).toMatchObject({ ok: false, error: { code: 'CHUNK_SIZE_CONFLICT', details: { hash: c1, sizes: [3, 1] } } });
    expect(replace).toMatchObject({ ok: true, upload: { existing: { fileId: FILE_ID, revision: 2 } } });
    expect(ok).toMatchObject({ ok: true, upload: { existing: null } });
    expect(sessionWrites().map((s) => s.path)).toEqual(['/Docs/a.txt', '/ok.txt']);
  });

  it('writes one session for identical files at one path, and none for a session it can resume', async () => {
    // Prepare
    const file = small('/same.txt', 'same');
    const resumed = small('/resumed.txt', 'resumed');
    const resumedId = uploadIdFor(OWNER, resumed.path, resumed.contentHash, resumed.chunks);
    serveItems(ddb, [{ pk: `UPLOAD#${resumedId}`, sk: 'META', uploadId: resumedId, ownerId: OWNER, path: resumed.path, manifest: { kind: 'inline', chunks: resumed.chunks } }]);
    ddb.on(BatchWriteCommand).resolves({});

    // Act
    const res = await call(startBatch, apiEvent({ body: { uploads: [file, file, resumed] } }));

    // Assess
    expect(res.body.results[0].upload.uploadId).toBe(res.body.results[1].upload.uploadId);
    expect(sessionWrites().map((s) => s.path)).toEqual(['/same.txt']);
  });

  it('starts whole units while the budget lasts and answers the files left BATCH_DEFERRED, writing nothing for them', async () => {
    // Prepare: no time beyond the first unit (50 files)
    const files = Array.from({ length: 250 }, (_, i) => small(`/many/f${i}.txt`, `content ${i}`));
    serveItems(ddb, []);
    ddb.on(BatchWriteCommand).resolves({});

    // Act
    const res = await withBudget(0, () => call(startBatch, apiEvent({ body: { uploads: [small('/Bad', 'x'), ...files].map((f, i) => (i === 0 ? { ...f, size: 9 } : f)) } })));

    // Assess
    const codes = res.body.results.map((r: any) => (r.ok ? 'ok' : r.error.code));
    expect(codes[0]).toBe('VALIDATION_FAILED');
    expect(codes.slice(1, 51)).toEqual(Array(50).fill('ok'));
    expect(codes.slice(51)).toEqual(Array(200).fill('BATCH_DEFERRED'));
    expect(sessionWrites().map((s) => s.path)).toEqual(files.slice(0, 50).map((f) => f.path));
  });

  it('starts everything when the budget is ample', async () => {
    // Prepare
    const files = Array.from({ length: 250 }, (_, i) => small(`/many/f${i}.txt`, `content ${i}`));
    serveItems(ddb, []);
    ddb.on(BatchWriteCommand).resolves({});

    // Act
    const res = await call(startBatch, apiEvent({ body: { uploads: files } }));

    // Assess
    expect(res.body.results.every((r: any) => r.ok)).toBe(true);
    expect(new Set(sessionWrites().map((s) => s.path)).size).toBe(250);
  });

  it(`refuses more than ${LIMITS.batchMaxChunks} chunks in all with 400, naming the field`, async () => {
    // Prepare
    const chunks = Array.from({ length: 1_001 }, (_, i) => ({ hash: sha256(`c${i}`), size: 1 }));
    const upload = { path: '/big', size: chunks.length, contentHash: contentHashOfChunks(chunks.map((c) => c.hash)), chunks };

    // Act
    const res = await call(startBatch, apiEvent({ body: { uploads: [upload, { ...upload, path: '/big2' }] } }));

    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'body.uploads' } });
  });

  it(`refuses more than ${LIMITS.batchMaxFiles} files`, async () => {
    // Act
    const res = await call(startBatch, apiEvent({ body: { uploads: Array.from({ length: LIMITS.batchMaxFiles + 1 }, (_, i) => small(`/f${i}`, 'x')) } }));

    // Assess
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });
});

// ---- commit ----

type Items = NonNullable<TransactWriteCommandInput['TransactItems']>;
const transactions = (): Items[] => ddb.commandCalls(TransactWriteCommand).map((c) => c.args[0].input.TransactItems!);

/** An uncommitted session of OWNER's for a one-chunk file, and its registered chunk. */
function sessionOf(path: string, text: string, extra: Record<string, unknown> = {}) {
  const file = small(path, text);
  const uploadId = uploadIdFor(OWNER, path, file.contentHash, file.chunks);
  return {
    uploadId,
    items: [
      {
        pk: `UPLOAD#${uploadId}`,
        sk: 'META',
        uploadId,
        ownerId: OWNER,
        path,
        size: file.size,
        contentHash: file.contentHash,
        mimeType: 'text/plain',
        chunkCount: 1,
        manifest: { kind: 'inline', hash: 'm'.repeat(64), chunks: file.chunks },
        createdAt: '2026-01-01T00:00:00.000Z',
        ttl: 2_000_000_000,
        ...extra,
      },
      chunkItem(OWNER, file.chunks[0].hash, file.size),
    ],
  };
}

/** A transaction of `count` items cancelled on the guard of item `failed` (0: the journal counter). */
const cancelled = (count: number, failed = 0) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: Array.from({ length: count }, (_, i) => ({ Code: i === failed ? 'ConditionalCheckFailed' : 'None' })),
  });

describe('POST /upload-batches/commit', () => {
  it('commits many files in one transaction that moves the journal counter once, with consecutive entries', async () => {
    // Prepare
    const sessions = Array.from({ length: 10 }, (_, i) => sessionOf(`/Docs/f${i}.txt`, `text ${i}`));
    serveItems(ddb, [...sessions.flatMap((s) => s.items), { pk: `NS#${OWNER}`, sk: 'SEQ', seq: 7 }]);
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const res = await call(commitBatch, apiEvent({ body: { commits: sessions.map((s) => ({ uploadId: s.uploadId, expectedRevision: 0 })) } }));

    // Assess
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: any) => r.file.path)).toEqual(sessions.map((_, i) => `/Docs/f${i}.txt`));
    const [items] = transactions();
    expect(transactions()).toHaveLength(1);
    expect(items[0].Update).toMatchObject({ Key: { pk: `NS#${OWNER}`, sk: 'SEQ' }, ExpressionAttributeValues: { ':last': 7, ':next': 17 } });
    const journal = items.filter((i) => i.Put?.Item?.pk === `JRNL#${OWNER}`).map((i) => i.Put!.Item!);
    expect(journal.map((e) => e.seq)).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(journal.map((e) => e.path)).toEqual(sessions.map((_, i) => `/Docs/f${i}.txt`));
    const folders = items.filter((i) => i.Update?.Key?.sk === 'PATH#/docs');
    expect(folders).toHaveLength(1);
    const markers = items.filter((i) => String(i.Update?.Key?.pk).startsWith('UPLOAD#'));
    expect(markers).toHaveLength(10);
    // A transaction never names one item twice.
    const keys = items.map((i) => JSON.stringify(i.Put ? { pk: i.Put.Item!.pk, sk: i.Put.Item!.sk } : (i.Update ?? i.Delete ?? i.ConditionCheck)!.Key));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('splits a large batch into transactions of at most 100 items', async () => {
    // Prepare
    const sessions = Array.from({ length: 60 }, (_, i) => sessionOf(`/d${i % 3}/f${i}.txt`, `text ${i}`));
    serveItems(ddb, sessions.flatMap((s) => s.items));
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const res = await call(commitBatch, apiEvent({ body: { commits: sessions.map((s) => ({ uploadId: s.uploadId, expectedRevision: 0 })) } }));

    // Assess
    expect(res.body.results.every((r: any) => r.ok)).toBe(true);
    expect(transactions().length).toBeGreaterThan(1);
    expect(Math.max(...transactions().map((t) => t.length))).toBeLessThanOrEqual(100);
    const journalled = transactions().flatMap((t) => t.filter((i) => i.Put?.Item?.pk === `JRNL#${OWNER}`));
    expect(journalled).toHaveLength(60);
  });

  it('answers missing chunks, a stale revision and a stranger\'s session in their places and commits the rest', async () => {
    // Prepare
    const good = sessionOf('/good.txt', 'good');
    const missing = sessionOf('/missing.txt', 'missing');
    const stale = sessionOf('/Docs/a.txt', 'stale');
    const foreign = sessionOf('/theirs.txt', 'theirs', { ownerId: STRANGER });
    serveItems(ddb, [
      ...good.items,
      missing.items[0],
      ...stale.items,
      ...foreign.items,
      { pk: `NS#${OWNER}`, sk: 'PATH#/docs/a.txt', kind: 'file', path: '/Docs/a.txt', name: 'a.txt', fileId: FILE_ID, revision: 2 },
      fileMetaItem(),
    ]);
    ddb.on(TransactWriteCommand).resolves({});
    const ids = [good, missing, stale, foreign].map((s) => s.uploadId);

    // Act
    const res = await call(commitBatch, apiEvent({ body: { commits: ids.map((uploadId) => ({ uploadId, expectedRevision: uploadId === stale.uploadId ? 1 : 0 })) } }));

    // Assess
    const [a, b, c, d] = res.body.results;
    expect(a).toMatchObject({ ok: true, file: { path: '/good.txt', revision: 1 } });
    expect(b).toMatchObject({ ok: false, error: { code: 'CHUNKS_MISSING', details: { missing: [missing.items[1].sk] } } });
    expect(c).toMatchObject({ ok: false, error: { code: 'REVISION_CONFLICT', details: { currentRevision: 2 } } });
    expect(d).toMatchObject({ ok: false, error: { code: 'UPLOAD_NOT_FOUND' } });
  });

  it('commits the files of a transaction that lost a race on a file one by one, each with its precise outcome', async () => {
    // Prepare: item 3 is the first file's state (after the counter and the two journal entries)
    const sessions = [sessionOf('/x.txt', 'x'), sessionOf('/y.txt', 'y')];
    serveItems(ddb, sessions.flatMap((s) => s.items));
    ddb.on(TransactWriteCommand).rejectsOnce(cancelled(1 + 2 * 5, 3)).resolves({});

    // Act
    const res = await call(commitBatch, apiEvent({ body: { commits: sessions.map((s) => ({ uploadId: s.uploadId, expectedRevision: 0 })) } }));

    // Assess
    expect(res.body.results.map((r: any) => r.ok)).toEqual([true, true]);
    const [batched, ...alone] = transactions();
    expect(batched.filter((i) => i.Put?.Item?.pk === `JRNL#${OWNER}`)).toHaveLength(2);
    expect(alone).toHaveLength(2);
    alone.forEach((t) => expect(t.filter((i) => i.Put?.Item?.pk === `JRNL#${OWNER}`)).toHaveLength(1));
  });

  it('tries a group again from the counter read afresh when only the counter moved, and reads it once for consecutive groups', async () => {
    // Prepare: three groups' worth of files; another change of the namespace gets in before the second
    const sessions = Array.from({ length: 45 }, (_, i) => sessionOf(`/f${i}.txt`, `text ${i}`));
    const counter = { pk: `NS#${OWNER}`, sk: 'SEQ', seq: 5 };
    serveItems(ddb, [...sessions.flatMap((s) => s.items), counter]);
    let calls = 0;
    ddb.on(TransactWriteCommand).callsFake((input: TransactWriteCommandInput) => {
      calls += 1;
      if (calls !== 2) return {};
      counter.seq = 99;
      throw cancelled(input.TransactItems!.length);
    });

    // Act
    const res = await call(commitBatch, apiEvent({ body: { commits: sessions.map((s) => ({ uploadId: s.uploadId, expectedRevision: 0 })) } }));

    // Assess
    expect(res.body.results.every((r: any) => r.ok)).toBe(true);
    const entries = (t: Items) => t.filter((i) => i.Put?.Item?.pk === `JRNL#${OWNER}`).length;
    const [first, refused, retried, third] = transactions();
    expect(transactions()).toHaveLength(4);
    // The first group from the counter read; the second from where the first left it, refused, then whole again from the re-read.
    const last = (t: Items) => t[0].Update!.ExpressionAttributeValues![':last'];
    expect([last(first), last(refused), last(retried), last(third)]).toEqual([5, 5 + entries(first), 99, 99 + entries(retried)]);
    expect(entries(retried)).toBe(entries(refused));
    expect(entries(first) + entries(retried) + entries(third)).toBe(45);
    expect(ddb.commandCalls(GetCommand).filter((c) => c.args[0].input.Key?.sk === 'SEQ')).toHaveLength(2);
  });

  it('commits whole transactions while the budget lasts and answers the rest BATCH_DEFERRED, untouched', async () => {
    // Prepare: no time beyond the first transaction
    const sessions = Array.from({ length: 60 }, (_, i) => sessionOf(`/f${i}.txt`, `text ${i}`));
    serveItems(ddb, sessions.flatMap((s) => s.items));
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const res = await withBudget(0, () => call(commitBatch, apiEvent({ body: { commits: sessions.map((s) => ({ uploadId: s.uploadId, expectedRevision: 0 })) } })));

    // Assess
    expect(transactions()).toHaveLength(1);
    const committed = transactions()[0].filter((i) => i.Put?.Item?.pk === `JRNL#${OWNER}`).map((i) => i.Put!.Item!.path);
    const codes = res.body.results.map((r: any) => (r.ok ? 'ok' : r.error.code));
    expect(committed).toEqual(sessions.slice(0, committed.length).map((_, i) => `/f${i}.txt`));
    expect(codes).toEqual([...Array(committed.length).fill('ok'), ...Array(60 - committed.length).fill('BATCH_DEFERRED')]);
  });

  it('answers REVISION_CONFLICT for an edit whose path holds another file now, whatever its revision, and writes nothing for it', async () => {
    // Prepare: /Docs/a.txt is FILE_ID at revision 2; one edit expects it, one expects a file that was there before
    const edit = sessionOf('/Docs/a.txt', 'edit');
    const stale = sessionOf('/Docs/b.txt', 'stale');
    const other = '0b7f3c1e-0000-4000-8000-00000000beef';
    serveItems(ddb, [
      ...edit.items,
      ...stale.items,
      { pk: `NS#${OWNER}`, sk: 'PATH#/docs/a.txt', kind: 'file', path: '/Docs/a.txt', name: 'a.txt', fileId: FILE_ID, revision: 2 },
      { pk: `NS#${OWNER}`, sk: 'PATH#/docs/b.txt', kind: 'file', path: '/Docs/b.txt', name: 'b.txt', fileId: FILE_ID.replace(/1$/, '2'), revision: 2 },
      fileMetaItem(),
      fileMetaItem({ pk: `FILE#${FILE_ID.replace(/1$/, '2')}`, fileId: FILE_ID.replace(/1$/, '2'), path: '/Docs/b.txt', name: 'b.txt' }),
    ]);
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const res = await call(
      commitBatch,
      apiEvent({
        body: {
          commits: [
            { uploadId: edit.uploadId, expectedRevision: 2, expectedFileId: FILE_ID },
            { uploadId: stale.uploadId, expectedRevision: 2, expectedFileId: other },
          ],
        },
      }),
    );

    // Assess
    const [ok, conflict] = res.body.results;
    expect(ok).toMatchObject({ ok: true, file: { fileId: FILE_ID, revision: 3 } });
    expect(conflict).toMatchObject({ ok: false, error: { code: 'REVISION_CONFLICT', details: { expectedFileId: other, currentRevision: 2 } } });
    const written = transactions().flatMap((t) => t.filter((i) => i.Put?.Item?.pk === `JRNL#${OWNER}`).map((i) => i.Put!.Item!.path));
    expect(written).toEqual(['/Docs/a.txt']);
  });

  it('leaves files whose paths collide within the batch to be committed alone, in request order', async () => {
    // Prepare: /p is a file and also the folder of /p/q; /r twice (different content)
    const sessions = [sessionOf('/p', 'p'), sessionOf('/p/q', 'q'), sessionOf('/r', 'r1'), sessionOf('/R', 'r2')];
    serveItems(ddb, sessions.flatMap((s) => s.items));
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    await call(commitBatch, apiEvent({ body: { commits: sessions.map((s) => ({ uploadId: s.uploadId, expectedRevision: 0 })) } }));

    // Assess
    const [packed, ...alone] = transactions();
    const paths = (t: Items) => t.filter((i) => i.Put?.Item?.pk === `JRNL#${OWNER}`).map((i) => i.Put!.Item!.path);
    expect(paths(packed)).toEqual(['/p', '/r']);
    expect(alone.map(paths)).toEqual([['/p/q'], ['/R']]);
  });
});
