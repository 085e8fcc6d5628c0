/**
 * The executor's guards on local files, without a service: nothing is deleted, replaced or moved
 * over unless it is still exactly what the plan saw (or has the content the plan expected).
 */
import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiClient } from '../../../../client/src/core/api/client';
import type { FileIdentity } from '../../../../client/src/localfs/identity';
import { StateStore } from '../../../../client/src/state/store';
import { execute, type ExecutorContext } from '../../../../client/src/sync/executor';
import type { Operation } from '../../../../client/src/sync/operations';
import { plan } from '../../../../client/src/sync/planner';
import { relKey } from '../../../../client/src/sync/paths';
import { RemoteTree } from '../../../../client/src/sync/remote-tree';
import { contentHashOfChunks } from '../../../support/content-hash';

let root: string;
let state: StateStore;
let ctx: ExecutorContext;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tote-exec-'));
  state = StateStore.open(join(root, '.tote'));
  const api = {} as ApiClient;
  ctx = {
    root,
    remoteRoot: '/',
    stagingDir: join(root, '.tote', 'staging'),
    transfer: { api, state, emit: () => undefined, fetch, concurrency: 1, attempts: 1, commitPatienceMs: 0 },
    remote: new RemoteTree(api, state.sync, '/'),
    refusedFolderMoves: new Set(),
  };
});
afterEach(() => {
  state.close();
  rmSync(root, { recursive: true, force: true });
});

/** The content hash of a small file (one chunk). */
const sha = (text: string) => contentHashOfChunks([createHash('sha256').update(text).digest('hex')]);

function identityOf(rel: string): FileIdentity {
  const s = lstatSync(join(root, rel), { bigint: true });
  return { size: Number(s.size), mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs, inode: s.ino, device: s.dev };
}

function syncedRow(rel: string, text: string) {
  state.sync.recordSynced({ fileId: 'f1', rel, key: relKey(rel), revision: 1, hash: sha(text), size: text.length, identity: identityOf(rel) });
}

describe('local operations', () => {
  it('does not delete a file edited since the plan: skipped, bytes and synced row kept', async () => {
    // Prepare
    writeFileSync(join(root, 'a.txt'), 'synced');
    syncedRow('a.txt', 'synced');
    const op: Operation = { type: 'delete', side: 'local', rel: 'a.txt', fileId: 'f1', local: { identity: identityOf('a.txt'), hash: sha('synced') } };
    writeFileSync(join(root, 'a.txt'), 'edited meanwhile');
    // Act
    const outcome = await execute(ctx, op);
    // Assess
    expect(outcome).toBe('skipped');
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('edited meanwhile');
    expect(state.sync.syncedFiles().map((s) => s.fileId)).toEqual(['f1']);
  });

  it('deletes a file only touched since the plan (same content)', async () => {
    // Prepare
    writeFileSync(join(root, 'a.txt'), 'synced');
    syncedRow('a.txt', 'synced');
    const op: Operation = { type: 'delete', side: 'local', rel: 'a.txt', fileId: 'f1', local: { identity: { ...identityOf('a.txt'), mtimeNs: 1n }, hash: sha('synced') } };
    // Act
    const outcome = await execute(ctx, op);
    // Assess
    expect(outcome).toBe('done');
    expect(() => lstatSync(join(root, 'a.txt'))).toThrow();
    expect(state.sync.syncedFiles()).toEqual([]);
  });

  it('never moves a file over one that appeared at the target meanwhile', async () => {
    // Prepare
    writeFileSync(join(root, 'a.txt'), 'mine');
    const op: Operation = { type: 'move', side: 'local', from: 'a.txt', to: 'b.txt', local: { identity: identityOf('a.txt') }, reason: 'remote' };
    writeFileSync(join(root, 'b.txt'), 'someone else');
    // Act
    const outcome = await execute(ctx, op);
    // Assess
    expect(outcome).toBe('skipped');
    expect(readFileSync(join(root, 'a.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(root, 'b.txt'), 'utf8')).toBe('someone else');
  });

  it('renames by case with a plain rename (on a case-insensitive disk both names are one file), never over another file', async () => {
    // Prepare
    writeFileSync(join(root, 'notes.txt'), 'mine');
    writeFileSync(join(root, 'other.txt'), 'mine too');
    const renameCase: Operation = { type: 'move', side: 'local', from: 'notes.txt', to: 'NOTES.txt', local: { identity: identityOf('notes.txt') }, reason: 'remote' };
    writeFileSync(join(root, 'OTHER.txt'), 'a different file');
    const overOther: Operation = { type: 'move', side: 'local', from: 'other.txt', to: 'OTHER.txt', local: { identity: identityOf('other.txt') }, reason: 'remote' };
    // Act
    const outcomes = [await execute(ctx, renameCase), await execute(ctx, overOther)];
    // Assess
    expect(outcomes).toEqual(['done', 'skipped']);
    expect(readFileSync(join(root, 'NOTES.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(root, 'OTHER.txt'), 'utf8')).toBe('a different file');
    expect(readFileSync(join(root, 'other.txt'), 'utf8')).toBe('mine too');
  });

  it('moving local bytes aside for a conflict forgets the synced file first, creating folders as needed', async () => {
    // Prepare
    writeFileSync(join(root, 'a.txt'), 'local edit');
    syncedRow('a.txt', 'synced before');
    const op: Operation = {
      type: 'move',
      side: 'local',
      from: 'a.txt',
      to: 'copies/a (conflicted copy dev 2026-01-02).txt',
      local: { identity: identityOf('a.txt') },
      reason: 'conflict',
      forget: 'f1',
    };
    // Act
    const outcome = await execute(ctx, op);
    // Assess
    expect(outcome).toBe('done');
    expect(readFileSync(join(root, 'copies/a (conflicted copy dev 2026-01-02).txt'), 'utf8')).toBe('local edit');
    expect(state.sync.syncedFiles()).toEqual([]);
  });
});

describe('remote operations', () => {
  it.each([
    ['a file', (path: string) => writeFileSync(path, 'back again')],
    ['a symbolic link', (path: string) => symlinkSync('/nowhere', path)],
  ])('never deletes a file remotely once something is at its path again (%s): skipped without asking the service', async (_, putBack) => {
    // Prepare: planned while a.txt was missing; the api has no methods, so any call would throw
    const op: Operation = { type: 'delete', side: 'remote', fileId: 'f1', rel: 'a.txt', expectedRevision: 3 };
    putBack(join(root, 'a.txt'));
    // Act
    const outcome = await execute(ctx, op);
    // Assess
    expect(outcome).toBe('skipped');
  });
});

describe('an upload the service answers under another case of the name', () => {
  it('records the file synced as the service spells it, so the next pass sends the local spelling as a rename', async () => {
    // Prepare: the service keeps docs/a.txt (a resumed session's first spelling); here it is docs/A.TXT
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs', 'A.TXT'), 'edited');
    state.sync.applyRemote([{ fileId: 'f1', rel: 'docs/A.TXT', key: relKey('docs/A.TXT'), revision: 4, hash: sha('synced'), size: 6, live: true }]);
    const answer = { fileId: 'f1', ownerId: 'u', path: '/docs/a.txt', name: 'a.txt', size: 6, mimeType: 'text/plain', contentHash: sha('edited'), revision: 5, status: 'uploaded' as const, chunkCount: 1, createdAt: '', updatedAt: '' };
    const batches = { upload: async () => ({ file: answer }) } as unknown as NonNullable<ExecutorContext['batches']>;
    const op: Operation = { type: 'edit', side: 'remote', fileId: 'f1', rel: 'docs/A.TXT', local: { identity: identityOf('docs/A.TXT'), hash: sha('edited') }, expectedRevision: 4 };
    // Act
    const outcome = await execute({ ...ctx, batches }, op);
    // Assess
    expect(outcome).toBe('done');
    expect(state.sync.syncedFiles().map((s) => [s.rel, s.revision])).toEqual([['docs/a.txt', 5]]);
    const local = [{ rel: 'docs/A.TXT', key: relKey('docs/A.TXT'), identity: identityOf('docs/A.TXT'), hash: sha('edited') }];
    const next = plan({ synced: state.sync.syncedFiles(), local, remote: state.sync.remoteFiles(), conflictName: (rel) => `${rel}.copy` });
    expect(next.operations).toMatchObject([{ type: 'move', side: 'remote', fileId: 'f1', from: 'docs/a.txt', to: 'docs/A.TXT', expectedRevision: 5 }]);
  });
});

describe('a remote folder move applied as one rename of the directory', () => {
  /** docs/a.txt and docs/sub/b.txt synced; the operation that moves docs to papers (as the planner makes it). */
  function prepare(): Operation {
    mkdirSync(join(root, 'docs', 'sub'), { recursive: true });
    writeFileSync(join(root, 'docs', 'a.txt'), 'a');
    writeFileSync(join(root, 'docs', 'sub', 'b.txt'), 'b');
    const files = ['a.txt', 'sub/b.txt'].map((below, i) => {
      const from = `docs/${below}`;
      const to = `papers/${below}`;
      const text = below.endsWith('a.txt') ? 'a' : 'b';
      const synced = { fileId: `f${i}`, rel: from, key: relKey(from), revision: 1, hash: sha(text), size: 1 };
      state.sync.recordSynced({ ...synced, identity: identityOf(from) });
      return { fileId: synced.fileId, from, to, revision: 2, local: { identity: identityOf(from), hash: synced.hash }, record: { ...synced, rel: to, key: relKey(to), revision: 2 } };
    });
    return { type: 'moveFolder', side: 'local', from: 'docs', to: 'papers', files };
  }

  it('renames the directory holding exactly the synced files, and records them at their new place', async () => {
    // Prepare
    const op = prepare();
    // Act
    const outcome = await execute(ctx, op);
    // Assess
    expect(outcome).toBe('done');
    expect(readFileSync(join(root, 'papers', 'sub', 'b.txt'), 'utf8')).toBe('b');
    expect(() => lstatSync(join(root, 'docs'))).toThrow();
    expect(state.sync.syncedFiles().map((s) => `${s.rel} r${s.revision}`)).toEqual(['papers/a.txt r2', 'papers/sub/b.txt r2']);
  });

  it.each([
    ['a new file in the folder', () => writeFileSync(join(root, 'docs', 'sub', 'new.txt'), 'mine')],
    ['a file edited since the plan', () => writeFileSync(join(root, 'docs', 'a.txt'), 'edited meanwhile')],
    ['something at the destination', () => mkdirSync(join(root, 'papers'))],
  ])('refuses with %s: nothing moves, and the move is remembered as refused (its files then move one by one)', async (_what, change) => {
    // Prepare
    const op = prepare();
    change();
    // Act
    const outcome = await execute(ctx, op);
    // Assess
    expect(outcome).toBe('skipped');
    expect(readFileSync(join(root, 'docs', 'sub', 'b.txt'), 'utf8')).toBe('b');
    expect(ctx.refusedFolderMoves.size).toBe(1);
    expect(state.sync.syncedFiles().map((s) => s.rel)).toEqual(['docs/a.txt', 'docs/sub/b.txt']);
  });
});
