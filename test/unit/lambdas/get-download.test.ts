import './env';
import { createVerify, generateKeyPairSync } from 'node:crypto';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { LIMITS } from '@contract/limits';
import { handler } from '../../../lambdas/api/get-download';
import { apiEvent, call, chunkItem, OWNER, serveItems, sha256, shareItem, STRANGER, VIEWER } from './support';

const ddb = mockClient(DynamoDBDocumentClient);
const secrets = mockClient(SecretsManagerClient);
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
beforeEach(() => {
  ddb.reset();
  secrets.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: privateKey.export({ type: 'pkcs1', format: 'pem' }) as string });
});

const fileId = '0b7f3c1e-0000-4000-8000-000000000001';
const BASE = 'https://d111111abcdef8.cloudfront.net';

function fileItems(manifest: { hash: string; size: number }[], extra: Record<string, unknown> = {}) {
  const state = {
    fileId,
    ownerId: OWNER,
    path: '/video.mp4',
    name: 'video.mp4',
    size: manifest.reduce((s, c) => s + c.size, 0),
    mimeType: 'video/mp4',
    contentHash: sha256('whole'),
    revision: 2,
    status: 'uploaded',
    chunkCount: manifest.length,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    contentRevision: 2,
    ...extra,
  };
  const registry = [...new Set(manifest.map((c) => c.hash))].map((h) => chunkItem(OWNER, h, manifest.find((c) => c.hash === h)!.size));
  return [
    { pk: `FILE#${fileId}`, sk: 'META', ...state },
    { pk: `FILE#${fileId}`, sk: `REV#${String(state.contentRevision).padStart(10, '0')}`, ...state, manifest: { kind: 'inline', hash: 'm', chunks: manifest } },
    ...registry,
  ];
}

const download = (query?: Record<string, string>, sub?: string) => call(handler, apiEvent({ sub, params: { fileId }, query }));

/** Checks a canned-policy CloudFront URL the way CloudFront does: policy rebuilt from URL and expiry. */
function verifyCannedUrl(signed: string): { resource: string; expires: number } {
  const url = new URL(signed);
  const expires = Number(url.searchParams.get('Expires'));
  const signature = url.searchParams.get('Signature')!.replace(/-/g, '+').replace(/_/g, '=').replace(/~/g, '/');
  for (const p of ['Expires', 'Signature', 'Key-Pair-Id']) url.searchParams.delete(p);
  const resource = url.toString().replace(/\?$/, '');
  const policy = JSON.stringify({ Statement: [{ Resource: resource, Condition: { DateLessThan: { 'AWS:EpochTime': expires } } }] });
  const ok = createVerify('RSA-SHA1').update(policy).verify(publicKey, signature, 'base64');
  if (!ok) throw new Error(`bad signature on ${signed}`);
  expect(new URL(signed).searchParams.get('Key-Pair-Id')).toBe('K2JCJMDEHXQW5F');
  return { resource, expires };
}

describe('GET /files/{fileId}/download', () => {
  const [a, b] = ['a', 'b'].map(sha256);

  it('answers a stranger 404 NOT_FOUND, exactly as for an unknown id', async () => {
    serveItems(ddb, fileItems([{ hash: a, size: 5 }]));

    const stranger = await download(undefined, STRANGER);
    ddb.reset();
    serveItems(ddb, []);
    const unknown = await download();

    expect(stranger.status).toBe(404);
    expect(stranger.body).toEqual(unknown.body);
    expect(stranger.body.error.code).toBe('NOT_FOUND');
    expect(secrets.calls()).toHaveLength(0);
  });

  it('signs one CloudFront URL per chunk, in the owner namespace, expiring soon', async () => {
    serveItems(ddb, fileItems([{ hash: a, size: 5 }, { hash: b, size: 7 }, { hash: a, size: 5 }]));

    const res = await download();

    expect(res.status).toBe(200);
    expect(res.body.file).toMatchObject({ fileId, revision: 2, size: 17, status: 'uploaded' });
    expect(res.body.chunks.map((c: { index: number; hash: string; offset: number; size: number }) => [c.index, c.hash, c.offset, c.size])).toEqual([
      [0, a, 0, 5],
      [1, b, 5, 7],
      [2, a, 12, 5],
    ]);
    expect(res.body.chunks[0]).toMatchObject({ storedSize: 5, compression: 'none' });
    const signed = res.body.chunks.map((c: { url: string }) => verifyCannedUrl(c.url));
    expect(signed.map((s: { resource: string }) => s.resource)).toEqual([a, b, a].map((h) => `${BASE}/chunks/${OWNER}/${h}`));
    const expiresAt = Date.parse(res.body.urlsExpireAt) / 1000;
    expect(signed[0].expires).toBe(Math.floor(expiresAt));
    expect(expiresAt - Date.now() / 1000).toBeGreaterThan(LIMITS.downloadUrlTtlSeconds - 30);
    expect(res.body.nextChunkOffset).toBeUndefined();
  });

  it('pages long manifests with byte offsets that continue across pages', async () => {
    const manifest = Array.from({ length: LIMITS.downloadPageChunks * 2 + 1 }, (_, i) => ({ hash: sha256(`c${i}`), size: 3 }));
    serveItems(ddb, fileItems(manifest));

    const first = await download();
    const second = await download({ chunkOffset: String(first.body.nextChunkOffset) });
    const last = await download({ chunkOffset: String(second.body.nextChunkOffset) });

    expect(first.body.chunks).toHaveLength(LIMITS.downloadPageChunks);
    expect(first.body.nextChunkOffset).toBe(LIMITS.downloadPageChunks);
    expect(second.body.chunks[0]).toMatchObject({ index: LIMITS.downloadPageChunks, offset: LIMITS.downloadPageChunks * 3, hash: manifest[LIMITS.downloadPageChunks].hash });
    expect(second.body.nextChunkOffset).toBe(LIMITS.downloadPageChunks * 2);
    expect(last.body.chunks).toHaveLength(1);
    expect(last.body.nextChunkOffset).toBeUndefined();
  });

  it('refuses a chunk offset past the end', async () => {
    serveItems(ddb, fileItems([{ hash: a, size: 5 }]));

    const res = await download({ chunkOffset: '1' });

    expect(res.status).toBe(400);
    expect(res.body.error.details.field).toBe('query.chunkOffset');
  });

  it('refuses a deleted file with 404 NOT_FOUND, even to its owner', async () => {
    serveItems(ddb, fileItems([{ hash: a, size: 5 }], { status: 'deleted', revision: 3 }));

    const res = await download();

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  it('serves an older revision through the revision that holds its content', async () => {
    const items = [
      ...fileItems([{ hash: b, size: 7 }], { revision: 4, contentRevision: 4, path: '/moved.mp4' }),
      { pk: `FILE#${fileId}`, sk: 'REV#0000000003', fileId, ownerId: OWNER, path: '/old.mp4', revision: 3, status: 'uploaded', contentRevision: 2, size: 5, chunkCount: 1 },
      { pk: `FILE#${fileId}`, sk: 'REV#0000000002', fileId, ownerId: OWNER, revision: 2, status: 'uploaded', contentRevision: 2, manifest: { kind: 'inline', hash: 'm', chunks: [{ hash: a, size: 5 }] } },
      chunkItem(OWNER, a, 5),
    ];

    serveItems(ddb, items);
    const old = await download({ revision: '3' });
    const future = await download({ revision: '9' });

    expect(old.status).toBe(200);
    expect(old.body.file).toMatchObject({ revision: 3, path: '/old.mp4' });
    expect(old.body.chunks.map((c: { hash: string }) => c.hash)).toEqual([a]);
    expect(future.status).toBe(404);
  });
});

describe('GET /files/{fileId}/download of a shared file', () => {
  const manifest = [{ hash: sha256('c1'), size: 10 }];

  it("signs a viewer URLs into the owner's namespace", async () => {
    serveItems(ddb, [...fileItems(manifest), shareItem(VIEWER, 'viewer', { fileId })]);

    const res = await download(undefined, VIEWER);

    expect(res.status).toBe(200);
    expect(verifyCannedUrl(res.body.chunks[0].url).resource).toBe(`${BASE}/chunks/${OWNER}/${manifest[0].hash}`);
  });

  it('signs nothing once the share is revoked: the grant is read on every request', async () => {
    serveItems(ddb, fileItems(manifest));

    const res = await download(undefined, VIEWER);

    expect(res.status).toBe(404);
    expect(secrets.calls()).toHaveLength(0);
  });
});
