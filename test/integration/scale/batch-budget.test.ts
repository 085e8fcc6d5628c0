/**
 * Upload batches against a tiny time budget on the local runtime over HTTP: a runtime of its own,
 * started with TOTE_LOCAL_BATCH_BUDGET_MS=0, so every batched request does its first unit of work only
 * (a start: 50 files; a commit: one transaction) and answers the rest BATCH_DEFERRED, as a loaded day
 * would near API Gateway's 29 s. A deferred file is untouched: asked again, it starts or commits whole.
 * `tote put <folder>` lands a batch in several rounds with every file committed exactly once, and a
 * batched edit naming a file the path no longer holds is that file's REVISION_CONFLICT.
 */
import * as fs from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { ROUTES } from '@contract/routes';
import type { BatchCommitResponse, BatchStartResponse, ChangesResponse, FileChangeEntry } from '@contract/schemas';
import { BATCH_BUDGET_ENV } from '../../../local/config';
import { seededBytes } from '../../unit/client/support/bytes';
import { openDevice } from '../client/devices';
import { api } from '../harness/api';
import { startRuntimeProcess, type RuntimeProcess } from '../harness/runtime-process';
import { targetOf, type Target } from '../harness/target';
import { RESTART_TEST_TIMEOUT_MS } from '../harness/timeouts';
import { putChunk, testFile, waitUntilRegistered } from '../harness/uploads';
import { createUser, type TestUser } from '../harness/users';

const TEST_TIMEOUT_MS = 120_000;

let dataDir: string;
let runtime: RuntimeProcess | undefined;
let target: Target;
let user: TestUser;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tote-batch-budget-'));
  runtime = await startRuntimeProcess({ dataDir, logFile: path.join(dataDir, 'runtime.log'), s3Backend: 's3rver', env: { [BATCH_BUDGET_ENV]: '0' } });
  target = targetOf(runtime.info);
  user = await createUser(target);
}, RESTART_TEST_TIMEOUT_MS);
afterAll(async () => {
  expect(await runtime?.stop()).toBe(0);
  fs.rmSync(dataDir, { recursive: true, force: true });
}, RESTART_TEST_TIMEOUT_MS);

const changes = (cursor?: string) =>
  api<ChangesResponse>(target, 'GET', `/changes?limit=1000${cursor ? `&cursor=${cursor}` : ''}`, { token: user.accessToken });

/** The user's journal from `cursor` on (GET /changes without one answers where the journal is now). */
async function journalSince(cursor: string): Promise<FileChangeEntry[]> {
  const entries: FileChangeEntry[] = [];
  for (let more = true; more; ) {
    const page = await changes(cursor);
    expect(page.status).toBe(200);
    entries.push(...(page.json.entries as FileChangeEntry[]));
    cursor = page.json.cursor;
    more = page.json.hasMore;
  }
  return entries;
}

test(
  '`tote put <folder>` of 120 small files lands in several rounds of deferred starts and commits, every file committed once',
  async () => {
    // Prepare: 120 files of 1 KiB; the device counts its batched requests
    const tree = await mkdtemp(path.join(os.tmpdir(), 'tote-batch-budget-tree-'));
    await mkdir(path.join(tree, 'sub'));
    for (let i = 0; i < 120; i++) await writeFile(path.join(tree, i % 2 ? 'sub' : '', `f${i}.bin`), seededBytes(7_000 + i, 1024));
    const requests: string[] = [];
    const laptop = await openDevice(target, user, 'laptop', {
      fetch: (input, init) => {
        const url = new URL(String(input instanceof Request ? input.url : input));
        if (url.origin === new URL(target.apiUrl).origin) requests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
        return fetch(input, init);
      },
    });
    const before = (await changes()).json.cursor;

    // Act
    const summary = await laptop.client.put(tree, '/landed');

    // Assess: three starts (50 files, 50, then 20) and a commit per transaction's worth (at most 20 files)
    expect(summary.failed).toEqual([]);
    expect(summary.files).toHaveLength(120);
    expect(requests.filter((r) => r === `POST ${ROUTES.startUploadBatch.path}`)).toHaveLength(3);
    expect(requests.filter((r) => r === `POST ${ROUTES.commitUploadBatch.path}`).length).toBeGreaterThanOrEqual(120 / 20);
    const journal = await journalSince(before);
    expect(journal.map((e) => [e.type, e.revision])).toEqual(Array(120).fill(['put', 1]));
    expect(new Set(journal.map((e) => e.path)).size).toBe(120);
    // The journal stayed gapless through the rounds.
    expect(journal.map((e) => e.seq)).toEqual(journal.map((_, i) => journal[0].seq + i));
  },
  TEST_TIMEOUT_MS,
);

/** Starts `paths` (new random content) in one batch, sends their chunks, waits for the tracker and commits them in one batch. */
async function batchUpload(paths: readonly string[], expected: (i: number) => { expectedRevision: number; expectedFileId?: string }) {
  const files = paths.map((p) => testFile(p, [700]));
  const uploads = files.map((f) => ({ path: f.path, size: f.bytes.length, contentHash: f.contentHash, chunks: f.chunks.map(({ hash, size }) => ({ hash, size })) }));
  const started = await api<BatchStartResponse>(target, 'POST', ROUTES.startUploadBatch.path, { token: user.accessToken, body: { uploads } });
  const ids = started.json.results.map((r) => (r.ok ? r.upload.uploadId : r.error.code));
  for (const [i, r] of started.json.results.entries()) for (const url of r.ok ? r.upload.urls : []) expect(await putChunk(url, files[i].chunks[0].bytes)).toBe(200);
  for (const f of files) await waitUntilRegistered(target, user, f);
  return api<BatchCommitResponse>(target, 'POST', ROUTES.commitUploadBatch.path, {
    token: user.accessToken,
    body: { commits: ids.map((uploadId, i) => ({ uploadId, ...expected(i) })) },
  });
}

test(
  'a batched edit naming a file the path no longer holds is REVISION_CONFLICT, even at the same revision; the edit naming the right file commits',
  async () => {
    // Prepare: /edit/a.txt and /edit/b.txt, each at revision 1
    const created = await batchUpload(['/edit/a.txt', '/edit/b.txt'], () => ({ expectedRevision: 0 }));
    const [a, b] = created.json.results.map((r) => (r.ok ? r.file : undefined));
    expect([a?.revision, b?.revision]).toEqual([1, 1]);

    // Act: both edited at revision 1, both naming a's file
    const edit = await batchUpload(['/edit/a.txt', '/edit/b.txt'], () => ({ expectedRevision: 1, expectedFileId: a!.fileId }));

    // Assess
    const [okA, conflictB] = edit.json.results;
    expect(okA).toMatchObject({ ok: true, file: { fileId: a!.fileId, revision: 2 } });
    expect(conflictB).toMatchObject({ ok: false, error: { code: 'REVISION_CONFLICT', details: { expectedFileId: a!.fileId, fileId: b!.fileId, currentRevision: 1 } } });
  },
  TEST_TIMEOUT_MS,
);
