/**
 * Sync's small transfers through the batch endpoints, with the real executor and schedule against
 * the fake service: a plan's uploads and downloads cost a few batch requests instead of two or three
 * each, and a file whose remote moved on since the plan is skipped on its own (nothing replaced,
 * nothing placed) while the others of its batch go through.
 */
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileIdentity } from '../../../../client/src/localfs/identity';
import { StateStore } from '../../../../client/src/state/store';
import { BatchedTransfers } from '../../../../client/src/sync/batched-transfers';
import type { ExecutorContext, Staged } from '../../../../client/src/sync/executor';
import { UNKNOWN_IDENTITY } from '../../../../client/src/sync/model';
import type { Operation } from '../../../../client/src/sync/operations';
import { relKey } from '../../../../client/src/sync/paths';
import { RemoteTree } from '../../../../client/src/sync/remote-tree';
import { runPlan } from '../../../../client/src/sync/run-plan';
import { contentHashOfChunks } from '../../../support/content-hash';
import { seededBytes } from '../support/bytes';
import { fakeClient, quickSleep } from '../support/fake-client';

const t = fakeClient({ sleep: quickSleep });
let folder: string;
let state: StateStore;
let ctx: ExecutorContext;
beforeEach(() => {
  folder = join(t.root, 'synced');
  mkdirSync(join(folder, '.tote', 'staging'), { recursive: true });
  state = StateStore.open(join(folder, '.tote'));
  const transfer = t.client.transferContextWith(state, 'laptop');
  ctx = {
    root: folder,
    remoteRoot: '/',
    stagingDir: join(folder, '.tote', 'staging'),
    transfer,
    remote: new RemoteTree(transfer.api, state.sync, '/'),
    batches: new BatchedTransfers<Staged>(transfer),
    refusedFolderMoves: new Set(),
  };
});
afterEach(() => state.close());

const calls = (route: string | RegExp) => t.fake.apiCalls.filter((c) => (typeof route === 'string' ? c === route : route.test(c))).length;
const hashOf = (bytes: Buffer) => contentHashOfChunks([createHash('sha256').update(bytes).digest('hex')]);

function identityOf(rel: string): FileIdentity {
  const s = lstatSync(join(folder, rel), { bigint: true });
  return { size: Number(s.size), mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, inode: s.ino, device: s.dev };
}

/** Writes `count` small files of distinct content under the synced folder; answers their paths relative to it. */
function writeLocal(count: number, seed: number): string[] {
  mkdirSync(join(folder, 'docs'), { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const rel = `docs/f${String(i).padStart(4, '0')}.bin`;
    writeFileSync(join(folder, rel), seededBytes(seed * 10_000 + i, 4096));
    return rel;
  });
}

const addRemote = (rel: string): Operation => ({ type: 'add', side: 'remote', rel, local: { identity: identityOf(rel) } });

const run = (operations: Operation[]) => runPlan({ root: folder, executor: ctx, failures: new Map(), emit: () => undefined, going: () => true }, operations);

/** The fake's file at a path. */
const remoteAt = (path: string) => [...t.fake.files.values()].find((f) => f.meta.path === path);

describe('sync uploads in batches', () => {
  it('uploads 150 new small files with a few batch requests, each recorded with the identity it was hashed at', async () => {
    // Prepare
    const rels = writeLocal(150, 1);

    // Act
    const outcomes = await run(rels.map(addRemote));

    // Assess
    expect(outcomes.filter((o) => o !== 'done')).toEqual([]);
    expect(calls('POST /upload-batches')).toBeGreaterThanOrEqual(1);
    expect(calls('POST /upload-batches')).toBeLessThanOrEqual(3);
    expect(calls('POST /upload-batches/commit')).toBeLessThanOrEqual(6);
    expect(calls(/^POST \/uploads/)).toBe(0);
    expect(t.fake.files.size).toBe(150);
    const synced = state.sync.syncedFiles();
    expect(synced).toHaveLength(150);
    expect(synced.filter((s) => s.identity === UNKNOWN_IDENTITY || s.identity.size !== 4096)).toEqual([]);
    expect(remoteAt('/docs/f0007.bin')?.meta.contentHash).toBe(hashOf(readFileSync(join(folder, 'docs/f0007.bin'))));
  }, 30_000);

  it('skips a new file whose path is taken remotely meanwhile, replacing nothing, and commits the rest of its batch', async () => {
    // Prepare
    const rels = writeLocal(20, 2);
    const elsewhere = join(t.root, 'elsewhere.bin');
    writeFileSync(elsewhere, 'made on another device');
    await t.client.put(elsewhere, '/docs/f0003.bin');
    const theirs = remoteAt('/docs/f0003.bin')!.meta;
    t.fake.apiCalls.length = 0;

    // Act
    const outcomes = await run(rels.map(addRemote));

    // Assess
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'done')).toHaveLength(19);
    expect(remoteAt('/docs/f0003.bin')!.meta).toEqual(theirs);
    expect(state.sync.syncedFiles().map((s) => s.rel)).not.toContain('docs/f0003.bin');
    expect(calls(/^POST \/uploads/)).toBe(0);
  });

  it('skips an edit whose remote moved on between the batch start and its commit: the other revision stays', async () => {
    // Prepare
    const rels = writeLocal(5, 3);
    await run(rels.map(addRemote));
    const edited = rels.map((rel, i) => {
      writeFileSync(join(folder, rel), seededBytes(900 + i, 4096));
      const row = state.sync.syncedFiles().find((s) => s.rel === rel)!;
      return { type: 'edit', side: 'remote', fileId: row.fileId, rel, local: { identity: identityOf(rel) }, expectedRevision: row.revision } satisfies Operation;
    });
    // Another device's edit of f0002 lands once this device's batch has started (its chunks are on their way).
    const target = remoteAt('/docs/f0002.bin')!;
    t.fake.onPut = () => {
      if (target.meta.revision === 1) target.meta = { ...target.meta, revision: 2, contentHash: 'b'.repeat(64) };
      return undefined;
    };

    // Act
    const outcomes = await run(edited);

    // Assess
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(1);
    expect(remoteAt('/docs/f0002.bin')!.meta).toMatchObject({ revision: 2, contentHash: 'b'.repeat(64) });
    expect(remoteAt('/docs/f0004.bin')!.meta).toMatchObject({ revision: 2, contentHash: hashOf(readFileSync(join(folder, 'docs/f0004.bin'))) });
    expect(state.sync.syncedFiles().find((s) => s.rel === 'docs/f0002.bin')?.revision).toBe(1);
    expect(calls(/^POST \/uploads/)).toBe(0);
    expect(calls(/^POST \/files\/.*\/uploads$/)).toBe(0);
  });
});

describe('sync downloads in batches', () => {
  /** Puts `count` small files at /docs through the fake; answers the download operations a plan would make for them. */
  async function remoteFiles(count: number, seed: number): Promise<Operation[]> {
    const source = join(t.root, 'source');
    mkdirSync(source, { recursive: true });
    for (let i = 0; i < count; i++) writeFileSync(join(source, `f${String(i).padStart(4, '0')}.bin`), seededBytes(seed * 10_000 + i, 4096));
    await t.client.put(source, '/docs');
    t.fake.apiCalls.length = 0;
    return [...t.fake.files.values()].map(({ meta }): Operation => {
      const rel = meta.path.slice(1);
      const record = { fileId: meta.fileId, rel, key: relKey(rel), revision: meta.revision, hash: meta.contentHash, size: meta.size };
      return { type: 'add', side: 'local', rel, file: record, record };
    });
  }

  it('downloads 150 small files with one batch request per batch and no per-file API call, each staged, verified and placed', async () => {
    // Prepare
    const ops = await remoteFiles(150, 4);

    // Act
    const outcomes = await run(ops);

    // Assess
    expect(outcomes.filter((o) => o !== 'done')).toEqual([]);
    expect(calls('POST /download-batches')).toBeGreaterThanOrEqual(1);
    expect(calls('POST /download-batches')).toBeLessThanOrEqual(3);
    expect(t.fake.apiCalls.filter((c) => c !== 'POST /download-batches')).toEqual([]);
    expect(readFileSync(join(folder, 'docs/f0042.bin')).equals(seededBytes(4 * 10_000 + 42, 4096))).toBe(true);
    expect(state.sync.syncedFiles()).toHaveLength(150);
  }, 30_000);

  it('skips a file whose remote revision moved on since the plan (nothing placed), and places the others', async () => {
    // Prepare
    const ops = await remoteFiles(10, 5);
    const moved = [...t.fake.files.values()][6]!;
    moved.meta = { ...moved.meta, revision: moved.meta.revision + 1 };

    // Act
    const outcomes = await run(ops);

    // Assess
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'done')).toHaveLength(9);
    expect(existsSync(join(folder, moved.meta.path.slice(1)))).toBe(false);
    expect(state.sync.syncedFiles().map((s) => s.fileId)).not.toContain(moved.meta.fileId);
  });

  it('never puts a batched download over a file that appeared at its place meanwhile', async () => {
    // Prepare
    const ops = await remoteFiles(3, 6);
    const first = ops[0] as Extract<Operation, { side: 'local'; type: 'add' }>;
    mkdirSync(join(folder, 'docs'), { recursive: true });
    writeFileSync(join(folder, first.rel), 'made here meanwhile');

    // Act
    const outcomes = await run(ops);

    // Assess
    expect(outcomes.filter((o) => o === 'skipped')).toHaveLength(1);
    expect(readFileSync(join(folder, first.rel), 'utf8')).toBe('made here meanwhile');
  });
});
