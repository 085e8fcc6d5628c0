/**
 * Folder uploads of many small files through the batch endpoints: a few round trips per thousand
 * files, shared chunks sent once, the commit's patience with the tracker, and per-file failures
 * reported without stopping the others.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentHashOfChunks } from '../../support/content-hash';
import { seededBytes } from './support/bytes';
import { fakeClient, quickSleep } from './support/fake-client';

const MiB = 1024 * 1024;
// Packs explicitly: these tests hold whatever the default (DEFAULT_TRANSFER_TUNING.packs) says.
const t = fakeClient({ sleep: quickSleep, packs: true });

/** `count` files of 4 KiB of distinct content in `dir` (nested one level), named f0000... */
function smallFiles(dir: string, count: number, seed = 0): string[] {
  mkdirSync(join(dir, 'nested'), { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const path = join(dir, i % 2 ? 'nested' : '', `f${String(i).padStart(4, '0')}.bin`);
    writeFileSync(path, seededBytes(seed * 100_000 + i, 4096));
    return path;
  });
}

const calls = (route: string) => t.fake.apiCalls.filter((c) => c === route).length;

describe('folder upload in batches', () => {
  it('starts and commits 1,200 small files in a handful of requests, and a large file on its own', async () => {
    // Prepare
    const tree = join(t.root, 'tree');
    smallFiles(tree, 1_200);
    writeFileSync(join(tree, 'large.bin'), seededBytes(9, 12 * MiB));

    // Act
    const summary = await t.client.put(tree, '/backup');

    // Assess
    expect(summary.failed).toEqual([]);
    expect(summary.files).toHaveLength(1_201);
    expect(calls('POST /upload-batches')).toBe(2);
    expect(calls('POST /upload-batches/commit')).toBeLessThanOrEqual(4);
    expect(calls('POST /uploads')).toBe(1);
    // The small files' content went up as blobs in packs of LIMITS.packTargetBytes (4 KiB files: 256 a pack), per start batch
    expect(t.fake.packPuts.map((p) => [p.status, p.blobs])).toEqual([
      [200, 256],
      [200, 256],
      [200, 256],
      [200, 232],
      [200, 200],
    ]);
    expect(t.fake.files.size).toBe(1_201);
    expect(t.events.filter((e) => e.type === 'upload.done')).toHaveLength(1_201);
    const got = join(t.root, 'f0003.bin');
    await t.client.get('/backup/nested/f0003.bin', got);
    expect(readFileSync(got).equals(readFileSync(join(tree, 'nested', 'f0003.bin')))).toBe(true);
  }, 30_000);

  it('sends a chunk shared by several files once, and every file still commits', async () => {
    // Prepare
    const tree = join(t.root, 'copies');
    mkdirSync(tree);
    const same = seededBytes(7, 3000);
    for (let i = 0; i < 20; i++) writeFileSync(join(tree, `copy${i}.txt`), same);

    // Act
    const summary = await t.client.put(tree, '/copies');

    // Assess
    expect(summary.files).toHaveLength(20);
    expect(t.fake.puts.filter((p) => p.status === 200)).toHaveLength(1);
    expect(summary.chunksSent).toBe(1);
  });

  it('waits for the tracker, asking again for the files whose chunks it has not registered yet', async () => {
    // Prepare
    t.fake.registerOnlyOnceAsked = true;
    const tree = join(t.root, 'slow');
    smallFiles(tree, 50, 1);

    // Act
    const summary = await t.client.put(tree, '/slow');

    // Assess
    expect(summary.files).toHaveLength(50);
    expect(calls('POST /upload-batches/commit')).toBeGreaterThan(1);
    expect(t.fake.apiCalls.filter((c) => /^POST \/uploads\/\w+\/commit$/.test(c))).toEqual([]);
  });

  it('asks again for the files a batch had no time for, at start and commit, until every file is committed once', async () => {
    // Prepare: each batched request gets to 40 files; the tracker also lags, so deferrals and missing chunks mix
    t.fake.batchBudgetFiles = 40;
    t.fake.registerOnlyOnceAsked = true;
    const tree = join(t.root, 'deferred');
    smallFiles(tree, 130, 4);

    // Act
    const summary = await t.client.put(tree, '/deferred');

    // Assess
    expect(summary.failed).toEqual([]);
    expect(summary.files).toHaveLength(130);
    expect(t.fake.files.size).toBe(130);
    const done = t.events.flatMap((e) => (e.type === 'upload.done' ? [e.localPath] : []));
    expect(new Set(done).size).toBe(130);
    expect(done).toHaveLength(130);
    expect(t.events.filter((e) => e.type === 'warning')).toEqual([]);
    expect(calls('POST /upload-batches')).toBe(4);
    expect(calls('POST /upload-batches/commit')).toBeGreaterThanOrEqual(4);
    // Deferred files are not the committer's: none was committed on its own.
    expect(t.fake.apiCalls.filter((c) => /^POST \/uploads\/\w+\/commit$/.test(c))).toEqual([]);
  });

  it('replaces a file a folder put finds changed at its path, as its next revision', async () => {
    // Prepare
    const tree = join(t.root, 'again');
    const paths = smallFiles(tree, 10, 3);
    await t.client.put(tree, '/again');
    writeFileSync(paths[2], seededBytes(77, 4096));

    // Act
    const summary = await t.client.put(tree, '/again');

    // Assess
    expect(summary.failed).toEqual([]);
    const changed = [...t.fake.files.values()].filter((f) => f.meta.revision === 2);
    expect(changed.map((f) => f.meta.path)).toEqual(['/again/f0002.bin']);
    expect(changed[0]!.meta.contentHash).toBe(contentHashOfChunks([createHash('sha256').update(seededBytes(77, 4096)).digest('hex')]));
    expect([...t.fake.files.values()].filter((f) => f.meta.revision === 1)).toHaveLength(9);
  });

  it('sends the files of a rejected pack again on their own, and commits every file', async () => {
    // Prepare: one blob is damaged on its way, the first time only
    const tree = join(t.root, 'rejected');
    const paths = smallFiles(tree, 10, 3);
    const badHash = createHash('sha256').update(readFileSync(paths[2])).digest('hex');
    t.fake.onPut = (hash, attempt) => (hash === badHash && attempt === 0 ? { corrupt: true } : undefined);

    // Act
    const summary = await t.client.put(tree, '/rejected');

    // Assess: the pack was refused whole, so all ten went up again as chunks, and all committed
    expect(summary.failed).toEqual([]);
    expect(summary.files).toHaveLength(10);
    expect(t.fake.rejectedPacks.size).toBe(1);
    expect(t.fake.puts.filter((p) => p.hash === badHash)).toHaveLength(2);
  });

  it('reports a file whose chunk never registers, after the committer resent it, and commits the others', async () => {
    // Prepare
    const tree = join(t.root, 'broken');
    const paths = smallFiles(tree, 30, 2);
    const badHash = createHash('sha256').update(readFileSync(paths[4])).digest('hex');
    t.fake.onPut = (hash) => (hash === badHash ? { corrupt: true } : undefined);

    // Act
    const summary = await t.client.put(tree, '/broken');

    // Assess
    expect(summary.files).toHaveLength(29);
    expect(summary.failed).toEqual([expect.objectContaining({ localPath: paths[4], code: 'UPLOAD_INCOMPLETE' })]);
    expect(t.fake.puts.filter((p) => p.hash === badHash).length).toBeGreaterThan(1);
  });
});
