/**
 * Packs on the local runtime over HTTP (lambdas/README.md, "Packs"): `tote put <folder>` of small
 * files stores them in one pack object, not one object each; another device gets them back byte for
 * byte through ranged reads of that pack (one file, and the folder through batches); the same files
 * again send nothing. A pack with one damaged blob is refused whole: none of its blobs is registered
 * and the commit naming it answers PACK_REJECTED. A share's recipient reaches only its blob's range.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { contentHashOf } from '@contract/content-hash';
import { S3_LAYOUT } from '@contract/limits';
import type { BatchCommitResponse, BatchStartResponse, DownloadResponse, StartPacksResponse } from '@contract/schemas';
import { PackBuilder } from '../../../client/src/core/packing/pack-builder';
import { nodeSha256 } from '../../../client/src/hashing/sha256';
import { api } from '../harness/api';
import { eventually } from '../harness/eventually';
import { signedInUser } from '../harness/fixture';
import { TRACKER_TEST_TIMEOUT_MS } from '../harness/timeouts';
import { putChunk } from '../harness/uploads';
import type { TestUser } from '../harness/users';
import { localRuntime, versionsUnder } from '../recovery/support/collector';
import { createCast, share } from '../sharing/support';
import { openDevice, sentChunkHashes } from './devices';
import { seededBytes } from '../../unit/client/support/bytes';

const fixture = signedInUser();
const TEST_TIMEOUT_MS = 120_000;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function bucketClient() {
  const local = localRuntime(fixture.target);
  return { s3: new S3Client({ endpoint: local.s3Endpoint, region: local.region, credentials: local.s3Credentials, forcePathStyle: true }), bucket: local.bucketName };
}

/** Objects (every version and delete marker) under a key prefix. */
async function objectsUnder(prefix: string): Promise<number> {
  const { s3, bucket } = bucketClient();
  try {
    return (await versionsUnder(s3, bucket, prefix)).objects;
  } finally {
    s3.destroy();
  }
}

/** Objects under the namespace's pack and chunk prefixes: what the PUTs created. */
const storedObjects = async (ownerId: string) => ({
  packs: await objectsUnder(S3_LAYOUT.packKey(ownerId, '')),
  chunks: await objectsUnder(S3_LAYOUT.chunkKey(ownerId, '')),
});

test(
  'a folder of small files goes up in one pack, comes down byte for byte on another device, and the same files again send nothing',
  async () => {
    // Prepare: 60 small files (random and text, 1 byte to 8 KiB, two identical), nested
    const tree = await mkdtemp(join(tmpdir(), 'tote-packs-'));
    const files = new Map<string, Buffer>();
    for (let i = 0; i < 60; i++) {
      const size = 1 + ((i * 997) % 8192);
      const bytes = i % 3 === 0 ? Buffer.from(`line ${i}\n`.repeat(size / 8 + 1)).subarray(0, size) : seededBytes(4000 + i, size);
      files.set(`${i % 4 === 0 ? 'sub/' : ''}f${i}.dat`, bytes);
    }
    files.set('sub/copy.dat', files.get('f1.dat')!);
    await mkdir(join(tree, 'sub'));
    for (const [rel, bytes] of files) await writeFile(join(tree, rel), bytes);
    const laptop = await openDevice(fixture.target, fixture.user, 'laptop', { packs: true });
    // The desktop's storage reads (everything but the API)
    const storageGets: string[] = [];
    const apiOrigin = new URL(fixture.target.apiUrl).origin;
    const desktop = await openDevice(fixture.target, fixture.user, 'desktop', {
      fetch: (input, init) => {
        if (new URL(String(input instanceof Request ? input.url : input)).origin !== apiOrigin) storageGets.push(new Headers(init?.headers).get('range') ?? 'whole');
        return fetch(input, init);
      },
    });

    // Act
    const put = await laptop.client.put(tree, '/packed');

    // Assess: one pack object, no chunk objects
    expect(put.failed).toEqual([]);
    expect(put.files).toHaveLength(files.size);
    expect(await storedObjects(fixture.user.sub)).toEqual({ packs: 1, chunks: 0 });

    // Act: one file, then the whole folder, on the other device
    const out = await mkdtemp(join(tmpdir(), 'tote-packs-get-'));
    await desktop.client.get('/packed/sub/f4.dat', join(out, 'one.dat'));
    const oneFile = storageGets.length;
    const got = await desktop.client.getFolder('/packed', out);

    // Assess
    expect(await readFile(join(out, 'one.dat'))).toEqual(files.get('sub/f4.dat'));
    expect(got.outcomes.failed).toEqual([]);
    expect(got.outcomes.results).toHaveLength(files.size);
    for (const [rel, bytes] of files) expect(sha256(await readFile(join(out, 'packed', rel)))).toBe(sha256(bytes));
    // One ranged GET for the one file; the folder's blobs, side by side in one pack, in one ranged GET (one file may be copied from the first instead)
    expect(oneFile).toBe(1);
    expect(storageGets.slice(oneFile)).toHaveLength(1);
    expect(storageGets.every((r) => r.startsWith('bytes='))).toBe(true);

    // Act: the same files again, elsewhere
    const before = sentChunkHashes(laptop.events).length;
    const again = await laptop.client.put(tree, '/again');

    // Assess: nothing sent, nothing stored
    expect(again.files).toHaveLength(files.size);
    expect(sentChunkHashes(laptop.events).length).toBe(before);
    expect(await storedObjects(fixture.user.sub)).toEqual({ packs: 1, chunks: 0 });
    await Promise.all([laptop.client.close(), desktop.client.close()]);
  },
  TEST_TIMEOUT_MS,
);

test(
  'a pack with one damaged blob is refused whole: no blob of it is registered, and the commit answers PACK_REJECTED',
  async () => {
    // Prepare: three small files started in one batch
    const { target, user } = fixture;
    const contents = [seededBytes(71, 3000), seededBytes(72, 5000), seededBytes(73, 700)];
    const uploads = await Promise.all(
      contents.map(async (bytes, i) => ({ path: `/rejected/f${i}.bin`, size: bytes.length, contentHash: await contentHashOf([sha256(bytes)]), chunks: [{ hash: sha256(bytes), size: bytes.length }] })),
    );
    const start = () => api<BatchStartResponse>(target, 'POST', '/upload-batches', { token: user.accessToken, body: { uploads } });
    const started = await start();
    expect(started.status).toBe(200);
    const sessions = started.json.results.map((r) => (r.ok ? r.upload : undefined)!);
    // A pack whose second blob has one byte changed after its index entry was written
    const builder = new PackBuilder({ createSha256: nodeSha256 });
    contents.forEach((bytes, i) => builder.add({ hash: sha256(bytes), plainLength: bytes.length, stored: i === 1 ? flipFirstByte(bytes) : bytes, compression: 'none' }));
    const pack = (await builder.seal())!;

    // Act
    const urls = await api<StartPacksResponse>(target, 'POST', '/packs', { token: user.accessToken, body: { packs: [{ hash: pack.hash, size: pack.bytes.length }] } });
    expect(urls.status).toBe(200);
    expect(await putChunk(urls.json.urls[0], Buffer.from(pack.bytes))).toBe(200);

    // Assess: once the tracker has been at it, every commit naming the pack is refused with its code
    const commits = sessions.map((s) => ({ uploadId: s.uploadId, expectedRevision: 0, pack: pack.hash }));
    const answer = await eventually('the commits answered PACK_REJECTED', async () => {
      const a = await api<BatchCommitResponse>(target, 'POST', '/upload-batches/commit', { token: user.accessToken, body: { commits } });
      return a.json.results.every((r) => !r.ok && r.error.code === 'PACK_REJECTED') ? a.json : undefined;
    });
    expect(answer.results[0]).toMatchObject({ ok: false, error: { code: 'PACK_REJECTED', details: { pack: pack.hash, reason: expect.stringMatching(/blob 1/) } } });
    // None of the three blobs was registered (the two good ones neither), and the pack is gone
    const again = await start();
    expect(again.json.results.map((r) => (r.ok ? r.upload.missing : r.error.code))).toEqual(uploads.map((u) => [u.chunks[0].hash]));
    expect(await objectsUnder(S3_LAYOUT.packKey(user.sub, pack.hash))).toBe(0);
  },
  TRACKER_TEST_TIMEOUT_MS,
);

test(
  'a share’s recipient gets a URL for the blob’s range of the pack only: the edge refuses the whole pack and any wider range',
  async () => {
    // Prepare: the owner's two small files go up in one pack; one is shared with the viewer
    const cast = await createCast(fixture.target);
    const tree = await mkdtemp(join(tmpdir(), 'tote-packs-share-'));
    await writeFile(join(tree, 'shared.txt'), 'for the viewer');
    await writeFile(join(tree, 'private.txt'), 'for the owner alone');
    const owner = await openDevice(fixture.target, cast.owner, 'owner', { packs: true });
    const put = await owner.client.put(tree, '/mixed');
    const shared = put.files.find((f) => f.remotePath === '/mixed/shared.txt')!.file;
    expect((await share(fixture.target, cast.owner, shared.fileId, [cast.viewer.email], 'viewer')).status).toBe(200);

    // Act
    const page = async (user: TestUser) => (await api<DownloadResponse>(fixture.target, 'GET', `/files/${shared.fileId}/download`, { token: user.accessToken })).json.chunks[0];
    const [mine, theirs] = [await page(cast.owner), await page(cast.viewer)];

    // Assess: both are the pack, with the blob's range; only the recipient's URL is bound to it
    expect(theirs.range).toEqual(mine.range);
    const { offset, length } = theirs.range!;
    expect(new URL(mine.url).searchParams.has('range')).toBe(false);
    expect(new URL(theirs.url).searchParams.get('range')).toBe(`${offset}-${offset + length - 1}`);
    const get = (url: string, range?: string) => fetch(url, range ? { headers: { range: `bytes=${range}` } } : {});
    const blob = await get(theirs.url, `${offset}-${offset + length - 1}`);
    expect(blob.status).toBe(206);
    expect(Buffer.from(await blob.arrayBuffer()).toString()).toBe('for the viewer');
    expect((await get(theirs.url)).status).toBe(403);
    expect((await get(theirs.url, `0-${offset + length}`)).status).toBe(403);
    expect((await get(mine.url)).status).toBe(200);
    await owner.client.close();
  },
  TEST_TIMEOUT_MS,
);

function flipFirstByte(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  copy[0] ^= 0xff;
  return copy;
}
