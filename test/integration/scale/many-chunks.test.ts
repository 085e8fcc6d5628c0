/**
 * A 50 GB file has over 12,800 chunks of the 4 MiB average. This drives an upload of 13,000 tiny
 * chunks through every step at the HTTP level: the start (its manifest, about 1 MB, is far over
 * DynamoDB's 400 KB item limit, so only a manifest kept outside the item lets the session and the
 * revision be written at all), URLs in batches of LIMITS.uploadUrlBatch, the tracker, the commit's
 * registry lookups, and the download's pages with their offsets.
 *
 * The file repeats 1,300 distinct chunks ten times over: sending and tracking 13,000 distinct ones
 * takes the local runtime about four minutes, too long for every CI run. Set
 * TOTE_SCALE_DISTINCT_CHUNKS=13000 to run it all distinct (BENCHMARKS.md has that run's timings).
 */
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import { LIMITS } from '@contract/limits';
import type { DownloadResponse, FileMetadata, PresignedPut, StartUploadResponse, UploadUrlsResponse } from '@contract/schemas';
import { api } from '../harness/api';
import { eventually } from '../harness/eventually';
import { signedInUser } from '../harness/fixture';
import { contentHashOfChunks } from '../../support/content-hash';

const CHUNKS = 13_000;
const DISTINCT = Number(process.env.TOTE_SCALE_DISTINCT_CHUNKS ?? 1_300);
const CHUNK_BYTES = 32;
const PUTS_AT_ONCE = 32;
const TEST_TIMEOUT_MS = 600_000;
const ctx = signedInUser();

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('an upload of 13,000 chunks', () => {
  test(
    'starts, gets its URLs in batches, commits once the tracker registered them all, and downloads in pages with the right offsets',
    async () => {
      // Prepare
      const { target, user } = ctx;
      const chunks = Array.from({ length: CHUNKS }, (_, i) => Buffer.from(`chunk ${String(i % DISTINCT).padStart(CHUNK_BYTES - 6, '0')}`));
      const whole = Buffer.concat(chunks);
      const refs = chunks.map((c) => ({ hash: sha256(c), size: c.length }));
      const call = <T>(method: string, path: string, body?: unknown) => api<T>(target, method, path, { token: user.accessToken, body });

      // Act: start, then URLs batch by batch, PUTs as they come
      const started = await call<StartUploadResponse>('POST', '/uploads', {
        path: '/scale/many-chunks.bin',
        size: whole.length,
        contentHash: contentHashOfChunks(refs.map((r) => r.hash)),
        chunks: refs,
      });
      expect(started.status).toBe(200);
      const { uploadId, missing } = started.json;
      const byHash = new Map(refs.map((r, i) => [r.hash, chunks[i]]));
      const limit = pLimit(PUTS_AT_ONCE);
      const putAll = (urls: PresignedPut[]) =>
        Promise.all(urls.map((put) => limit(async () => (await fetch(put.url, { method: 'PUT', headers: put.headers, body: byHash.get(put.hash) })).status)));
      const statuses = await putAll(started.json.urls);
      let urlRequests = 0;
      for (let next = started.json.urls.length; next < missing.length; next += LIMITS.uploadUrlBatch) {
        const more = await call<UploadUrlsResponse>('POST', `/uploads/${uploadId}/urls`, { hashes: missing.slice(next, next + LIMITS.uploadUrlBatch) });
        expect(more.status).toBe(200);
        urlRequests += 1;
        statuses.push(...(await putAll(more.json.urls)));
      }
      const committed = await eventually(
        'every chunk registered',
        async () => {
          const answer = await call<FileMetadata>('POST', `/uploads/${uploadId}/commit`, { expectedRevision: 0 });
          // Every chunk is stored: until the tracker has registered them all the commit says pending.
          if (answer.status === 202) return undefined;
          return answer;
        },
        { timeoutMs: 300_000, intervalMs: 2_000 },
      );
      // Any other answer ends the test here, with its code (not as a 404 for an undefined file id).
      expect({ status: committed.status, answer: committed.status === 200 ? 'a file' : committed.json }).toEqual({ status: 200, answer: 'a file' });

      // Act: every page of the download
      const pages: DownloadResponse[] = [];
      for (let offset: number | undefined = 0; offset !== undefined; offset = pages[pages.length - 1].nextChunkOffset) {
        const page = await call<DownloadResponse>('GET', `/files/${committed.json.fileId}/download?chunkOffset=${offset}`);
        expect(page.status).toBe(200);
        pages.push(page.json);
      }

      // Assess
      expect(missing).toHaveLength(DISTINCT);
      expect(started.json.urls).toHaveLength(Math.min(DISTINCT, LIMITS.uploadUrlBatch));
      expect(urlRequests).toBe(Math.ceil(DISTINCT / LIMITS.uploadUrlBatch) - 1);
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect(committed.json).toMatchObject({ size: whole.length, chunkCount: CHUNKS, revision: 1 });
      expect(pages).toHaveLength(Math.ceil(CHUNKS / LIMITS.downloadPageChunks));
      const listed = pages.flatMap((p) => p.chunks);
      expect(listed.map((c) => c.index)).toEqual(refs.map((_, i) => i));
      expect(listed.map((c) => c.hash)).toEqual(refs.map((r) => r.hash));
      expect(listed.map((c) => c.offset)).toEqual(refs.map((_, i) => i * CHUNK_BYTES));
      // A sample of the signed URLs, one per page, serves the right bytes.
      for (const page of pages) {
        const chunk = page.chunks[page.chunks.length - 1];
        const res = await fetch(chunk.url);
        expect(Buffer.from(await res.arrayBuffer()).equals(chunks[chunk.index])).toBe(true);
      }
    },
    TEST_TIMEOUT_MS,
  );
});
