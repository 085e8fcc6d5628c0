import './env';
import { generateKeyPairSync } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { LIMITS } from '@contract/limits';
import { handler } from '../../../lambdas/api/download-batch';
import { handler as getDownloadHandler } from '../../../lambdas/api/get-download';
import { readConfig } from '@shared/config';
import type { Caller } from '@shared/identity';
import { downloadRepositories } from '@repo/wiring';
import { downloadBatch } from '@domain/download-batch';
import { apiEvent, call, chunkItem, lambdaContext, OWNER, serveItems, sha256, shareItem, STRANGER, VIEWER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const secrets = mockClient(SecretsManagerClient);
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
beforeEach(() => {
  ddb.reset();
  secrets.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string });
});

const id = (n: number) => `0b7f3c1e-0000-4000-8000-${String(n).padStart(12, '0')}`;

/** A committed file of `ownerId` at `path` whose manifest is `hashes` (5 bytes each), with its path entry. */
function fileItems(n: number, ownerId: string, path: string, hashes: string[]) {
  const fileId = id(n);
  const name = path.slice(path.lastIndexOf('/') + 1);
  const state = {
    fileId,
    ownerId,
    path,
    name,
    size: hashes.length * 5,
    mimeType: 'application/octet-stream',
    contentHash: sha256(path),
    revision: 1,
    status: 'uploaded',
    chunkCount: hashes.length,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    contentRevision: 1,
  };
  return [
    { pk: `FILE#${fileId}`, sk: 'META', ...state },
    { pk: `FILE#${fileId}`, sk: 'REV#0000000001', ...state, manifest: { kind: 'inline', hash: 'm', chunks: hashes.map((hash) => ({ hash, size: 5 })) } },
    { pk: `NS#${ownerId}`, sk: `PATH#${path.toLowerCase()}`, kind: 'file', path, name, fileId, size: state.size, revision: 1, contentHash: state.contentHash, updatedAt: state.updatedAt },
    ...hashes.map((h) => chunkItem(ownerId, h, 5)),
  ];
}

const [a, b, c, d] = ['a', 'b', 'c', 'd'].map(sha256);
const ITEMS = [
  ...fileItems(1, OWNER, '/docs/own.txt', [a]),
  ...fileItems(2, STRANGER, '/docs/shared.txt', [b]),
  shareItem(OWNER, 'viewer', { fileId: id(2), ownerId: STRANGER }),
  ...fileItems(3, STRANGER, '/docs/foreign.txt', [c]),
  ...fileItems(4, OWNER, '/docs/big.bin', [a, b, c, d]),
  { pk: `NS#${OWNER}`, sk: 'PATH#/docs', kind: 'folder', path: '/docs', name: 'docs' },
];

const batch = (files: unknown[], sub?: string) => call(handler, apiEvent({ sub, body: { files } }));

describe('POST /download-batches', () => {
  it('answers each file in request order: own and shared ones with their page, the rest NOT_FOUND in place', async () => {
    serveItems(ddb, ITEMS);

    const res = await batch([{ fileId: id(1) }, { fileId: id(2) }, { fileId: id(3) }, { fileId: id(9) }, { path: '/Docs/OWN.txt' }, { path: '/docs' }, { path: '/docs/../x' }]);

    expect(res.status).toBe(200);
    const results = res.body.results as { ok: boolean; download?: { file: { fileId: string }; chunks: { hash: string; url: string }[] }; error?: { code: string; message: string } }[];
    expect(results.map((r) => (r.ok ? r.download!.file.fileId : r.error!.code))).toEqual([id(1), id(2), 'NOT_FOUND', 'NOT_FOUND', id(1), 'NOT_FOUND', 'INVALID_PATH']);
    expect(results[0].download!.chunks.map((ch) => ch.hash)).toEqual([a]);
    // The recipient's URL names the owner's namespace, as GET /files/{fileId}/download signs it.
    expect(results[1].download!.chunks[0].url).toContain(`/${STRANGER}/`);
  });

  it('tells a file the caller may not read from a missing one by nothing at all', async () => {
    serveItems(ddb, ITEMS);

    const res = await batch([{ fileId: id(3) }, { fileId: id(9) }]);

    const [foreign, missing] = res.body.results;
    expect(foreign).toEqual(missing);
  });

  it('gives a file the first page its own download gives, cut to the batch page size', async () => {
    serveItems(ddb, ITEMS);

    const res = await batch([{ fileId: id(4) }]);
    const single = await call(getDownloadHandler, apiEvent({ params: { fileId: id(4) } }));

    const page = res.body.results[0].download;
    expect(page.chunks).toHaveLength(LIMITS.downloadBatchPageChunks);
    expect(page.nextChunkOffset).toBe(LIMITS.downloadBatchPageChunks);
    expect(page.file).toEqual(single.body.file);
    const strip = (chunks: { url: string }[]) => chunks.map(({ url: _url, ...rest }) => rest);
    expect(strip(page.chunks)).toEqual(strip(single.body.chunks.slice(0, LIMITS.downloadBatchPageChunks)));
  });

  it('answers a recipient whose share ended NOT_FOUND', async () => {
    serveItems(ddb, ITEMS.filter((i) => !(i.pk === `USER#${OWNER}`)));

    const res = await batch([{ fileId: id(2) }]);

    expect(res.body.results[0]).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it(`refuses more than ${LIMITS.batchMaxFiles} files with a coded 400, reading nothing`, async () => {
    serveItems(ddb, ITEMS);

    const res = await batch(Array.from({ length: LIMITS.batchMaxFiles + 1 }, () => ({ fileId: id(1) })));

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(ddb.calls()).toHaveLength(0);
  });

  it('reads the files named with one batched read, and signs each file named twice once', async () => {
    serveItems(ddb, ITEMS);

    const res = await batch([{ fileId: id(1) }, { path: '/docs/own.txt' }, { fileId: id(1) }]);

    expect(res.body.results.map((r: { ok: boolean }) => r.ok)).toEqual([true, true, true]);
    expect(res.body.results[0]).toEqual(res.body.results[2]);
    const metaReads = ddb.calls().filter((call) => JSON.stringify(call.args[0].input).includes('"sk":"META"'));
    expect(metaReads).toHaveLength(1);
  });
});

describe('a full batch', () => {
  const FULL = LIMITS.batchMaxFiles;
  const many = () => Array.from({ length: FULL }, (_, n) => fileItems(n + 10, OWNER, `/many/f${n}.txt`, [sha256(`f${n}`)])).flat();

  it(`reads ${FULL} files' pages in a few dozen batched calls, not a few per file`, async () => {
    serveItems(ddb, many());

    const res = await batch(Array.from({ length: FULL }, (_, n) => ({ path: `/many/f${n}.txt` })));

    expect(res.status).toBe(200);
    expect(res.body.results.filter((r: { ok: boolean }) => r.ok)).toHaveLength(FULL);
    const kinds = ddb.calls().map((call) => call.args[0].constructor.name);
    // Paths, files, revision items, chunk records: one pass each, 100 keys a call.
    expect(kinds.filter((k) => k !== 'BatchGetCommand')).toEqual([]);
    expect(kinds).toHaveLength(4 * (FULL / 100));
  });

  it('answers the files it had no time to sign BATCH_DEFERRED, in place, and the rest signed', async () => {
    serveItems(ddb, many());
    // Asked before every file but the first (which is always signed: each request gets something done).
    let asked = 0;
    const inTime = () => ++asked < 300;

    const res = await downloadBatch(
      downloadRepositories(readConfig('fileTable', 'sharedTable', 'bucket', 'downloadBaseUrl', 'signingKeyPairId', 'signingKeySecretId')),
      { userId: OWNER } as Caller,
      { files: Array.from({ length: FULL }, (_, n) => ({ fileId: id(n + 10) })) },
      new Date(),
      inTime,
    );

    const codes = res.results.map((r) => (r.ok ? 'ok' : r.error.code));
    expect(codes.slice(0, 300)).toEqual(Array(300).fill('ok'));
    expect(codes.slice(300)).toEqual(Array(FULL - 300).fill('BATCH_DEFERRED'));
  });

  it('answers 200 with the first file signed and the rest deferred when the invocation starts with too little time left', async () => {
    serveItems(ddb, ITEMS);

    const res = await call(handler, apiEvent({ body: { files: [{ fileId: id(1) }, { fileId: id(4) }] } }), lambdaContext('download-batch', 1_000));

    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { error?: { code: string } }) => r.error?.code)).toEqual([undefined, 'BATCH_DEFERRED']);
  });
});

describe('the viewer of a shared file', () => {
  it('gets it by id in a batch', async () => {
    serveItems(ddb, [...fileItems(1, OWNER, '/docs/own.txt', [a]), shareItem(VIEWER, 'viewer', { fileId: id(1) })]);

    const res = await batch([{ fileId: id(1) }], VIEWER);

    expect(res.body.results[0].ok).toBe(true);
  });
});
