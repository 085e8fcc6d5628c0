/**
 * Trust but verify: a chunk PUT through a presigned URL is registered only after the chunk tracker,
 * invoked by the S3 notification, has checked it; until then the commit answers 202 pending (storage
 * holds the bytes); wrong bytes are deleted by the tracker and the commit then refuses with 409
 * CHUNKS_MISSING until the right bytes arrive.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { DownloadResponse } from '@contract/schemas';
import { api, type ApiAnswer } from './harness/api';
import { eventually } from './harness/eventually';
import {
  commitUpload,
  fileFromChunks,
  putChunk,
  startUpload,
  testFile,
  uploadUrls,
  waitUntilRegistered,
} from './harness/uploads';
import { TRACKER_TEST_TIMEOUT_MS } from './harness/timeouts';
import { signedInUser } from './harness/fixture';

const fixture = signedInUser();

test('a chunk PUT through its presigned URL is registered by the tracker, and the upload commits', async () => {
  // Prepare
  const file = testFile('/tracker/registered.bin', [64 * 1024, 1000]);
  const started = await startUpload(fixture.target, fixture.user, file);
  expect(started.status).toBe(200);
  expect(started.json.missing.sort()).toEqual(file.chunks.map((c) => c.hash).sort());

  // Act
  for (const put of started.json.urls) {
    expect(await putChunk(put, file.chunks.find((c) => c.hash === put.hash)!.bytes)).toBe(200);
  }

  // Assess
  const resumed = await waitUntilRegistered(fixture.target, fixture.user, file);
  expect(resumed.uploadId).toBe(started.json.uploadId);
  expect(resumed.urls).toEqual([]);
  const committed = await commitUpload(fixture.target, fixture.user, started.json.uploadId);
  expect(committed.status).toBe(200);
  expect(committed.json).toMatchObject({ path: file.path, size: file.bytes.length, contentHash: file.contentHash, revision: 1 });
}, TRACKER_TEST_TIMEOUT_MS);

test('wrong bytes PUT to a presigned URL are deleted by the tracker; commit answers pending while they are stored, then 409 CHUNKS_MISSING', async () => {
  // Prepare
  const file = testFile('/tracker/tampered.bin', [32 * 1024]);
  const [chunk] = file.chunks;
  const started = await startUpload(fixture.target, fixture.user, file);
  const [put] = started.json.urls;

  // Act: bytes that do not hash to the key's hash
  expect(await putChunk(put, Buffer.alloc(chunk.size, 0x41))).toBe(200);

  // Assess: the object is gone once a fresh URL accepts the real bytes (an existing key would answer
  // 412: uploads are conditional writes), which proves the tracker deleted the wrong ones
  const answers: ApiAnswer[] = [];
  const commit = await eventually('the commit refused once the tracker deleted the wrong bytes', async () => {
    const answer = await commitUpload(fixture.target, fixture.user, started.json.uploadId);
    answers.push(answer);
    return answer.status === 202 ? undefined : answer;
  });
  expect(commit.status).toBe(409);
  expect(commit.json).toMatchObject({ error: { code: 'CHUNKS_MISSING', details: { missing: [chunk.hash] } } });
  for (const pending of answers.slice(0, -1)) {
    expect(pending.json).toEqual({ status: 'pending', pending: [chunk.hash], pendingCount: 1, retryAfterMs: expect.any(Number) });
    expect(pending.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  }
  await eventually('the wrong object deleted', async () => {
    const fresh = await uploadUrls(fixture.target, fixture.user, started.json.uploadId, [chunk.hash]);
    const status = await putChunk(fresh.json.urls[0], chunk.bytes);
    return status === 200 ? status : undefined;
  });
  await waitUntilRegistered(fixture.target, fixture.user, file);
  expect((await commitUpload(fixture.target, fixture.user, started.json.uploadId)).status).toBe(200);
}, TRACKER_TEST_TIMEOUT_MS);

test('asking again for a chunk already stored answers 412 at S3 rather than overwriting it', async () => {
  // Prepare
  const file = testFile('/tracker/twice.bin', [4096]);
  const started = await startUpload(fixture.target, fixture.user, file);
  const [put] = started.json.urls;
  expect(await putChunk(put, file.chunks[0].bytes)).toBe(200);

  // Act
  const again = await putChunk(put, file.chunks[0].bytes);

  // Assess
  expect(again).toBe(412);
});

test('a gzip-compressed chunk is verified on its plaintext and downloads as stored, marked gzip', async () => {
  // Prepare: compressible content, PUT compressed to URLs signed for gzip
  const text = Buffer.from('the same line again and again\n'.repeat(2000));
  const textFile = fileFromChunks('/tracker/text.log', [text]);
  const [chunk] = textFile.chunks;
  const started = await startUpload(fixture.target, fixture.user, textFile);
  const urls = await uploadUrls(fixture.target, fixture.user, started.json.uploadId, [chunk.hash], 'gzip');
  const stored = gzipSync(text);

  // Act
  expect(await putChunk(urls.json.urls[0], stored)).toBe(200);

  // Assess
  await waitUntilRegistered(fixture.target, fixture.user, textFile);
  const committed = await commitUpload(fixture.target, fixture.user, started.json.uploadId);
  expect(committed.status).toBe(200);
  const download = await api<DownloadResponse>(fixture.target, 'GET', `/files/${committed.json.fileId}/download`, { token: fixture.user.accessToken });
  expect(download.json.chunks[0]).toMatchObject({ compression: 'gzip', size: text.length, storedSize: stored.length });
  const body = Buffer.from(await (await fetch(download.json.chunks[0].url)).arrayBuffer());
  expect(gunzipSync(body).equals(text)).toBe(true);
}, TRACKER_TEST_TIMEOUT_MS);
