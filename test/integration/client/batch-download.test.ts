/**
 * Batched downloads on the local runtime over HTTP: POST /download-batches answers each file in its
 * place (own, shared, and the same NOT_FOUND for a stranger's file as for an id that never existed),
 * refuses a batch past the limit with a coded 400, and `tote get <folder>` brings a remote tree down
 * through it, nested folders and an empty file included, byte for byte.
 */
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMITS } from '@contract/limits';
import type { DownloadBatchResponse } from '@contract/schemas';
import { api } from '../harness/api';
import { getTarget, type Target } from '../harness/target';
import { SETUP_TIMEOUT_MS } from '../harness/timeouts';
import { testFile, uploadFile } from '../harness/uploads';
import { createCast, share, type Cast } from '../sharing/support';
import { openDevice } from './devices';

const TEST_TIMEOUT_MS = 120_000;

let target: Target;
let cast: Cast;
beforeAll(async () => {
  target = await getTarget();
  cast = await createCast(target);
}, SETUP_TIMEOUT_MS);

const batch = (body: unknown) => api<DownloadBatchResponse>(target, 'POST', '/download-batches', { token: cast.viewer.accessToken, body });

test(
  'a mixed batch: own and shared files get their pages, a stranger’s file and a missing id the same NOT_FOUND, in request order',
  async () => {
    // Prepare: the viewer's own file; the owner's file shared with the viewer; one the owner keeps
    const [own, shared, kept] = await Promise.all([
      uploadFile(target, cast.viewer, testFile('/batch/own.bin', [3000])),
      uploadFile(target, cast.owner, testFile('/batch/shared.bin', [2000])),
      uploadFile(target, cast.owner, testFile('/batch/kept.bin', [1000])),
    ]);
    expect((await share(target, cast.owner, shared.fileId, [cast.viewer.email], 'viewer')).status).toBe(200);

    // Act
    const answer = await batch({
      files: [{ fileId: own.fileId }, { fileId: shared.fileId }, { fileId: kept.fileId }, { fileId: 'no-such-file' }, { path: '/batch/own.bin' }, { path: '/batch/kept.bin' }],
    });

    // Assess
    expect(answer.status).toBe(200);
    const results = answer.json.results;
    expect(results.map((r) => (r.ok ? r.download.file.fileId : r.error.code))).toEqual([own.fileId, shared.fileId, 'NOT_FOUND', 'NOT_FOUND', own.fileId, 'NOT_FOUND']);
    const [, sharedPage, foreign, missing] = results;
    expect(foreign).toEqual(missing);
    // The signed URL serves the shared file's bytes from the owner's namespace.
    if (!sharedPage.ok) throw new Error('unreachable');
    const chunk = await fetch(sharedPage.download.chunks[0].url);
    expect(chunk.status).toBe(200);
    expect((await chunk.arrayBuffer()).byteLength).toBe(sharedPage.download.chunks[0].storedSize);
  },
  TEST_TIMEOUT_MS,
);

test('a batch of more than the limit is refused with a coded 400', async () => {
  const answer = await batch({ files: Array.from({ length: LIMITS.batchMaxFiles + 1 }, (_, i) => ({ fileId: `f-${i}` })) });

  expect(answer.status).toBe(400);
  expect((answer.json as unknown as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
});

test(
  '`tote get <folder>` downloads a remote tree through batches: nested folders and an empty file, byte for byte',
  async () => {
    // Prepare
    const tree = await mkdtemp(join(tmpdir(), 'tote-tree-'));
    const files: Record<string, string> = { 'a.txt': 'alpha', 'sub/b.txt': 'beta', 'sub/deeper/c.txt': 'gamma', 'sub/deeper/empty': '' };
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(join(tree, rel, '..'), { recursive: true });
      await writeFile(join(tree, rel), text);
    }
    const laptop = await openDevice(target, cast.stranger, 'laptop');
    const desktop = await openDevice(target, cast.stranger, 'desktop');
    await laptop.client.put(tree, '/album');
    const out = await mkdtemp(join(tmpdir(), 'tote-get-'));

    // Act
    const got = await desktop.client.getFolder('/album', out);

    // Assess
    expect(got.outcomes.failed).toEqual([]);
    expect(got.outcomes.results).toHaveLength(4);
    for (const [rel, text] of Object.entries(files)) expect(await readFile(join(out, 'album', rel), 'utf8')).toBe(text);
    await Promise.all([laptop.client.close(), desktop.client.close()]);
  },
  TEST_TIMEOUT_MS,
);
