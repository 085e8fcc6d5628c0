/**
 * Issue 10, holes 1 and 2, as an attacker meets them over HTTP. alice shares /shared/edit.txt with
 * bob as editor and keeps /priv/secret.txt to herself. bob names the secret's chunk in revision
 * uploads of edit.txt, every way the API allows (start, resume, more URLs with and without verify,
 * garbage bytes, commit, batch commit), and must never be told that alice holds it, learn its size,
 * or commit it without sending its bytes; the same through an open upload (named at the start, in a
 * later URL request, or only in the commit's manifest). An honest editor still sends only what is new,
 * closed or open, and the service stores only content hashes it computed.
 */
import { randomBytes } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { BatchCommitResponse, DownloadResponse, FileMetadata, StartUploadResponse, UploadUrlsResponse } from '@contract/schemas';
import { api, type ApiAnswer } from '../harness/api';
import { eventually } from '../harness/eventually';
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS, TRACKER_TEST_TIMEOUT_MS } from '../harness/timeouts';
import { fileFromChunks, putChunk, sha256, testFile, uploadFile, type TestFile } from '../harness/uploads';
import { contentHashOfChunks } from '../../support/content-hash';
import { createCast, share, type Cast } from './support';

let target: Target;
let cast: Cast;
/** alice's unshared secret (one chunk) and the file she shares with bob as editor. */
let secret: TestFile;
let edit: FileMetadata;
let editFile: TestFile;

beforeAll(async () => {
  target = await getTarget();
  cast = await createCast(target);
  secret = testFile('/priv/secret.txt', [3000]);
  editFile = testFile('/shared/edit.txt', [1000]);
  await uploadFile(target, cast.owner, secret);
  edit = await uploadFile(target, cast.owner, editFile);
  const shared = await share(target, cast.owner, edit.fileId, [cast.editor.email], 'editor');
  if (shared.status !== 200) throw new Error(`sharing answered ${shared.status}: ${shared.text}`);
}, SETUP_TIMEOUT_MS);

const bob = () => cast.editor;
const secretChunk = () => secret.chunks[0];

/** A revision of edit.txt made of these chunks (hash and size as given: they may lie). */
function revisionOf(chunks: readonly { hash: string; size: number }[]) {
  return {
    size: chunks.reduce((n, c) => n + c.size, 0),
    contentHash: contentHashOfChunks(chunks.map((c) => c.hash)),
    chunks: chunks.map(({ hash, size }) => ({ hash, size })),
  };
}

const startRevision = (body: unknown) => api<StartUploadResponse>(target, 'POST', `/files/${edit.fileId}/uploads`, { token: bob().accessToken, body });
const moreUrls = (uploadId: string, hashes: string[], verify?: boolean) =>
  api<UploadUrlsResponse>(target, 'POST', `/uploads/${uploadId}/urls`, { token: bob().accessToken, body: { hashes, ...(verify ? { verify } : {}) } });
/**
 * A commit's final word, as a client waits for it: while stored chunks await the tracker the service
 * answers 202 pending (bytes bob sent under a hash they do not have stay stored until the tracker deletes them).
 */
const pastPending = (what: string, send: () => Promise<ApiAnswer<FileMetadata>>) =>
  eventually(what, async () => {
    const answer = await send();
    return answer.status === 202 ? undefined : answer;
  });
const commit = (uploadId: string, expectedRevision = edit.revision) =>
  pastPending('the commit answered', () =>
    api<FileMetadata>(target, 'POST', `/uploads/${uploadId}/commit`, { token: bob().accessToken, body: { expectedRevision } }),
  );
/** An open upload of edit.txt's next revision (size declared, chunks listed so far) under a fresh session key. */
const startOpen = (size: number, chunks: readonly { hash: string; size: number }[] = []) =>
  startRevision({ sessionKey: randomBytes(16).toString('hex'), size, chunks: chunks.map(({ hash, size: n }) => ({ hash, size: n })) });
const commitOpen = (uploadId: string, manifest: { contentHash: string; chunks: readonly { hash: string; size: number }[] }) =>
  pastPending('the open commit answered', () =>
    api<FileMetadata>(target, 'POST', `/uploads/${uploadId}/commit`, {
      token: bob().accessToken,
      body: { expectedRevision: edit.revision, manifest: { contentHash: manifest.contentHash, chunks: manifest.chunks.map(({ hash, size }) => ({ hash, size })) } },
    }),
  );

/** The key a presigned URL writes (path-style or virtual-hosted: the part after the bucket). */
const keyOf = (url: string) => decodeURIComponent(new URL(url).pathname).replace(/^\/[^/]+\/(?=(chunks|staging)\/)/, '').replace(/^\//, '');

/** What bob can observe of a start: everything but the ids and times that differ per request. */
const observed = (answer: ApiAnswer<StartUploadResponse>, hash: string) => ({
  status: answer.status,
  missing: answer.json.missing.map((h) => (h === hash ? 'THE HASH' : h)),
  urlKeys: answer.json.urls.map((u) => keyOf(u.url).replace(hash, 'THE HASH')),
});

async function editNow(): Promise<{ revision: number; bytes: Buffer }> {
  const page = await api<DownloadResponse>(target, 'GET', `/files/${edit.fileId}/download`, { token: bob().accessToken });
  const parts = await Promise.all(
    page.json.chunks.map(async (c) => {
      const stored = Buffer.from(await (await fetch(c.url)).arrayBuffer());
      return c.compression === 'gzip' ? gunzipSync(stored) : stored;
    }),
  );
  return { revision: page.json.file.revision, bytes: Buffer.concat(parts) };
}

describe("an editor naming the owner's unshared chunk", () => {
  it('is told it is missing exactly as a random hash is, with a URL to its own staging key, never to the owner\'s chunk', async () => {
    // Prepare: the same request for the secret's chunk and for a hash nobody holds
    const random = { hash: sha256(randomBytes(32)), size: secretChunk().size };

    // Act
    const named = await startRevision(revisionOf([secretChunk()]));
    const unknown = await startRevision(revisionOf([random]));

    // Assess
    expect(observed(named, secretChunk().hash)).toEqual(observed(unknown, random.hash));
    expect(named.json.missing).toEqual([secretChunk().hash]);
    expect(named.json.urls.map((u) => keyOf(u.url))).toEqual([`staging/${cast.owner.sub}/${bob().sub}/${secretChunk().hash}`]);
  }, TRACKER_TEST_TIMEOUT_MS);

  it('cannot commit it without sending its bytes: 409 CHUNKS_MISSING, and the file keeps its content', async () => {
    const started = await startRevision(revisionOf([secretChunk()]));

    const committed = await commit(started.json.uploadId);
    const batch = await api<BatchCommitResponse>(target, 'POST', '/upload-batches/commit', {
      token: bob().accessToken,
      body: { commits: [{ uploadId: started.json.uploadId, expectedRevision: edit.revision }] },
    });

    expect(committed.status).toBe(409);
    expect(committed.json).toMatchObject({ error: { code: 'CHUNKS_MISSING', details: { missing: [secretChunk().hash], missingCount: 1 } } });
    expect(batch.json.results).toEqual([{ ok: false, error: expect.objectContaining({ code: 'CHUNKS_MISSING' }) }]);
    expect(await editNow()).toEqual({ revision: 1, bytes: editFile.bytes });
  }, TRACKER_TEST_TIMEOUT_MS);

  it('learns nothing of its size: a wrong size is answered as for any hash, and no answer carries the stored size', async () => {
    const wrong = { hash: secretChunk().hash, size: secretChunk().size + 17 };
    const random = { hash: sha256(randomBytes(32)), size: wrong.size };

    const named = await startRevision(revisionOf([wrong]));
    const unknown = await startRevision(revisionOf([random]));
    const committed = await commit(named.json.uploadId);

    expect(observed(named, wrong.hash)).toEqual(observed(unknown, random.hash));
    expect(committed.json).toMatchObject({ error: { code: 'CHUNKS_MISSING' } });
    for (const answer of [named, committed]) expect(answer.text).not.toContain(String(secretChunk().size));
  }, TRACKER_TEST_TIMEOUT_MS);

  it('is still missing on resume and after asking for URLs with verify, which looks only at its own staging key', async () => {
    const body = revisionOf([secretChunk()]);
    const first = await startRevision(body);

    const resumed = await startRevision(body);
    const urls = await moreUrls(first.json.uploadId, [secretChunk().hash]);
    const verified = await moreUrls(first.json.uploadId, [secretChunk().hash], true);

    expect(resumed.json.uploadId).toBe(first.json.uploadId);
    expect(resumed.json.missing).toEqual([secretChunk().hash]);
    for (const answer of [urls, verified]) {
      expect(answer.json.missing).toEqual([secretChunk().hash]);
      expect(answer.json.urls.map((u) => keyOf(u.url))).toEqual([`staging/${cast.owner.sub}/${bob().sub}/${secretChunk().hash}`]);
    }
  }, TRACKER_TEST_TIMEOUT_MS);

  it('proves nothing by sending other bytes under its hash: they are deleted, and the commit is still refused', async () => {
    const started = await startRevision(revisionOf([secretChunk()]));

    const status = await putChunk(started.json.urls[0], randomBytes(secretChunk().size));
    // With verify the service checks bob's staged object itself, whether or not the tracker got to it first.
    const verified = await moreUrls(started.json.uploadId, [secretChunk().hash], true);
    const again = await putChunk(verified.json.urls[0], randomBytes(secretChunk().size));
    const committed = await commit(started.json.uploadId);

    expect(status).toBe(200);
    expect(verified.json.missing).toEqual([secretChunk().hash]);
    // The guessed bytes were deleted: the staging key takes a PUT again (412 would mean they were kept).
    expect(again).toBe(200);
    expect(committed.json).toMatchObject({ error: { code: 'CHUNKS_MISSING' } });
    expect((await editNow()).revision).toBe(1);
  }, TRACKER_TEST_TIMEOUT_MS);

  it('reaches no further through a batch start, which deduplicates only within the caller\'s own namespace', async () => {
    const answer = await api<{ results: { ok: boolean; upload: StartUploadResponse }[] }>(target, 'POST', '/upload-batches', {
      token: bob().accessToken,
      body: { uploads: [{ path: '/mine/copy.txt', ...revisionOf([secretChunk()]) }] },
    });

    expect(answer.json.results[0].upload.missing).toEqual([secretChunk().hash]);
    expect(keyOf(answer.json.results[0].upload.urls[0].url)).toBe(`chunks/${bob().sub}/${secretChunk().hash}`);
  }, TRACKER_TEST_TIMEOUT_MS);
});

describe("an editor's open upload naming the owner's unshared chunk", () => {
  it('is told it is missing exactly as a random hash is, at the start and in later URL requests (verify or not)', async () => {
    const random = { hash: sha256(randomBytes(32)), size: secretChunk().size };

    const named = await startOpen(secretChunk().size, [secretChunk()]);
    const unknown = await startOpen(random.size, [random]);
    const later = await startOpen(secretChunk().size);
    const urls = await moreUrls(later.json.uploadId, [secretChunk().hash]);
    const verified = await moreUrls(later.json.uploadId, [secretChunk().hash], true);

    expect(observed(named, secretChunk().hash)).toEqual(observed(unknown, random.hash));
    expect(named.json.missing).toEqual([secretChunk().hash]);
    for (const answer of [named, urls, verified]) {
      expect(answer.json.missing).toEqual([secretChunk().hash]);
      expect(answer.json.urls.map((u) => keyOf(u.url))).toEqual([`staging/${cast.owner.sub}/${bob().sub}/${secretChunk().hash}`]);
    }
  }, TRACKER_TEST_TIMEOUT_MS);

  it("cannot commit it by naming it only in the manifest: 409 CHUNKS_MISSING, its size untold, the file unchanged", async () => {
    const before = await editNow();
    const started = await startOpen(secretChunk().size);

    const committed = await commitOpen(started.json.uploadId, revisionOf([secretChunk()]));

    expect(committed.status).toBe(409);
    expect(committed.json).toMatchObject({ error: { code: 'CHUNKS_MISSING', details: { missing: [secretChunk().hash], missingCount: 1 } } });
    expect(committed.text).not.toContain(String(secretChunk().size));
    expect(await editNow()).toEqual(before);
  }, TRACKER_TEST_TIMEOUT_MS);

  it("cannot name its content: a manifest whose content hash is not its chunks' is refused (400 CONTENT_HASH_MISMATCH)", async () => {
    const started = await startOpen(editFile.chunks[0].size);

    const committed = await commitOpen(started.json.uploadId, { ...revisionOf([editFile.chunks[0]]), contentHash: secret.contentHash });

    expect(committed.status).toBe(400);
    expect(committed.json).toMatchObject({ error: { code: 'CONTENT_HASH_MISMATCH', details: { expected: contentHashOfChunks([editFile.chunks[0].hash]) } } });
  }, TRACKER_TEST_TIMEOUT_MS);
});

describe('an honest editor', () => {
  it(
    "sends only what is new (the shared file's own chunks are skipped); bytes it holds prove themselves and new ones are put in the owner's namespace",
    async () => {
      // Prepare: bob's new revision keeps edit.txt's chunk, adds a chunk whose bytes he really has (they
      // happen to be the secret's too: holding the bytes is what entitles him) and one alice has nowhere,
      // both sent compressed (the tracker copies a staged chunk with the compression it was declared with).
      const fresh = Buffer.from(`bob's own words ${randomBytes(8).toString('hex')} `.repeat(200));
      const next = fileFromChunks('/shared/edit.txt', [editFile.chunks[0].bytes, secret.chunks[0].bytes, fresh]);
      const started = await startRevision({ ...revisionOf(next.chunks), compression: 'gzip' });

      // Act
      const statuses = await Promise.all(started.json.urls.map((put) => putChunk(put, gzipSync(next.chunks.find((c) => c.hash === put.hash)!.bytes))));
      const committed = await eventually('the staged chunks to be proven and put in place', async () => {
        const answer = await commit(started.json.uploadId);
        return answer.status === 200 ? answer : undefined;
      });

      // Assess
      expect(started.json.missing).toEqual([next.chunks[1].hash, next.chunks[2].hash]);
      expect(statuses).toEqual([200, 200]);
      expect(committed.json).toMatchObject({ revision: 2, size: next.bytes.length, contentHash: next.contentHash });
      expect(await editNow()).toEqual({ revision: 2, bytes: next.bytes });
      edit = committed.json;
    },
    TRACKER_TEST_TIMEOUT_MS,
  );

  it('sends through an open upload only the chunks it names that are new, and commits with the manifest', async () => {
    // Prepare: the next revision keeps the current content's first two chunks and adds one; all but the first are named after the start
    const added = Buffer.from(`bob again ${randomBytes(8).toString('hex')} `.repeat(100));
    const next = fileFromChunks('/shared/edit.txt', [editFile.chunks[0].bytes, secret.chunks[0].bytes, added]);
    const started = await startOpen(next.bytes.length, next.chunks.slice(0, 1));

    // Act
    const urls = await moreUrls(started.json.uploadId, next.chunks.slice(1).map((c) => c.hash));
    const statuses = await Promise.all(urls.json.urls.map((put) => putChunk(put, next.chunks.find((c) => c.hash === put.hash)!.bytes)));
    const committed = await eventually('the staged chunk to be proven and put in place', async () => {
      const answer = await commitOpen(started.json.uploadId, next);
      return answer.status === 200 ? answer : undefined;
    });

    // Assess: the first two chunks are the current content's (bob may read it); only the added one is sent
    expect(started.json.missing).toEqual([]);
    expect(urls.json.missing).toEqual([next.chunks[2].hash]);
    expect(statuses).toEqual([200]);
    expect(committed.json).toMatchObject({ revision: edit.revision + 1, size: next.bytes.length, contentHash: next.contentHash });
    expect(await editNow()).toEqual({ revision: edit.revision + 1, bytes: next.bytes });
    edit = committed.json;
  }, TRACKER_TEST_TIMEOUT_MS);
});

describe('content identity', () => {
  it('refuses a declared content hash the chunks do not give, the previous revision\'s included, and one hash at two sizes', async () => {
    const fresh = { hash: sha256(randomBytes(32)), size: 10 };
    const keepOld = { ...revisionOf([fresh]), contentHash: edit.contentHash };
    const twoSizes = revisionOf([fresh, { hash: fresh.hash, size: 11 }]);

    const old = await startRevision(keepOld);
    const sizes = await startRevision(twoSizes);

    expect(old.status).toBe(400);
    expect(old.json).toMatchObject({ error: { code: 'CONTENT_HASH_MISMATCH', details: { expected: contentHashOfChunks([fresh.hash]) } } });
    expect(sizes.status).toBe(400);
    expect(sizes.json).toMatchObject({ error: { code: 'CHUNK_SIZE_CONFLICT', details: { hash: fresh.hash, sizes: [10, 11] } } });
    expect((await editNow()).revision).toBe(edit.revision);
  }, TRACKER_TEST_TIMEOUT_MS);
});
