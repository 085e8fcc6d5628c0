/**
 * The data migrations: the runner (begin, pause, walk page by page, resume, stale after a rollback)
 * and the content-hash migration (every kind of item that carries a content hash), over in-memory
 * stand-ins for the table walk, the revisions and the manifests.
 */
import './env';
import { contentHashMigration, type ContentHashDeps } from '@domain/migrations/content-hash';
import { advanceMigrations, beginMigrations, forgetMigrations, type DataMigration, type RunnerDeps } from '@domain/migrations/runner';
import type { ManifestRef, RevisionState } from '@repo/items';
import type { MigrationState } from '@repo/migration-states';
import type { HashedItem, WalkCursor } from '@repo/table-walk';
import { contentHashOfChunks } from '../../support/content-hash';
import { FILE_ID, sha256 } from './support';

class States {
  readonly states = new Map<string, MigrationState>();
  paused: string | undefined;
  async get(id: string) {
    return this.states.get(id);
  }
  async put(state: MigrationState) {
    this.states.set(state.id, state);
  }
  async pausedFor() {
    return this.paused;
  }
  async markPaused(requestId: string) {
    this.paused = requestId;
  }
}

/** A table of `count` numbered items walked `size` at a time; records which pages were read. */
function walkOver(count: number) {
  const reads: number[] = [];
  return {
    reads,
    async page(limit: number, cursor?: WalkCursor) {
      const from = cursor === undefined ? 0 : Number(cursor.at);
      reads.push(from);
      const to = Math.min(count, from + limit);
      return { items: [], scanned: to - from, ...(to < count ? { cursor: { at: to } } : {}) };
    },
  };
}

const recording = (id: string, pages: string[]): DataMigration => ({
  id,
  async migratePage() {
    pages.push(id);
    return { updated: 1, unresolved: 0 };
  },
});

const forever = () => Number.MAX_SAFE_INTEGER;

describe('data migration runner', () => {
  it('pauses on the first poll of a deploy, then walks every page of each migration in order and marks it done', async () => {
    // Prepare: 450 items, pages of 200
    const states = new States();
    const pages: string[] = [];
    const walk = walkOver(450);
    const deps: RunnerDeps = { states, walk, migrations: [recording('0001-a', pages), recording('0002-b', pages)] };
    await beginMigrations(deps, ['0001-a', '0002-b']);

    // Act
    const first = await advanceMigrations(deps, 'deploy-1', forever, 0);
    const second = await advanceMigrations(deps, 'deploy-1', forever, 0);

    // Assess
    expect(first).toBe(false);
    expect(second).toBe(true);
    expect(pages).toEqual(['0001-a', '0001-a', '0001-a', '0002-b', '0002-b', '0002-b']);
    expect(states.states.get('0001-a')).toMatchObject({ status: 'done', scanned: 450, updated: 3, doneAt: expect.any(String) });
    expect(states.states.get('0001-a')!.cursor).toBeUndefined();
  });

  it('stops when the invocation runs short of time and resumes where it stopped, in a later poll or a later deploy', async () => {
    const states = new States();
    const walk = walkOver(1000);
    const deps: RunnerDeps = { states, walk, migrations: [recording('0001-a', [])] };
    await beginMigrations(deps, ['0001-a']);
    await advanceMigrations(deps, 'deploy-1', forever, 0);
    let budget = 2;

    const cut = await advanceMigrations(deps, 'deploy-1', () => budget--, 1);
    await beginMigrations(deps, ['0001-a']);
    await advanceMigrations(deps, 'deploy-2', forever, 0);
    const resumed = await advanceMigrations(deps, 'deploy-2', forever, 0);

    expect(cut).toBe(false);
    expect(states.states.get('0001-a')!.status).toBe('done');
    expect(resumed).toBe(true);
    expect(walk.reads).toEqual([0, 200, 400, 600, 800]);
  });

  it('does not run a finished migration again, unless code without it ran since (a rollback, a deleted resource)', async () => {
    const states = new States();
    const pages: string[] = [];
    const deps: RunnerDeps = { states, walk: walkOver(10), migrations: [recording('0001-a', pages)] };
    const deploy = async (id: string, requested: string[]) => {
      await beginMigrations(deps, requested);
      await advanceMigrations(deps, id, forever, 0);
      return advanceMigrations(deps, id, forever, 0);
    };

    await deploy('d1', ['0001-a']);
    await deploy('d2', ['0001-a']);
    await beginMigrations(deps, []);
    const afterRollback = states.states.get('0001-a')!.status;
    await deploy('d3', ['0001-a']);
    await forgetMigrations(deps);
    const afterDelete = states.states.get('0001-a')!.status;
    await deploy('d4', ['0001-a']);

    expect(pages).toEqual(['0001-a', '0001-a', '0001-a']);
    expect([afterRollback, afterDelete]).toEqual(['stale', 'stale']);
  });
});

describe('content hash migration', () => {
  const [a, b, c] = ['a', 'b', 'c'].map(sha256);
  const inline = (hashes: string[]): ManifestRef => ({ kind: 'inline', hash: 'm'.repeat(64), chunks: hashes.map((hash) => ({ hash, size: 1 })) });
  const old = sha256('whole-file hash of the old definition');
  /** Revisions of FILE_ID: 1 brought [a, b]; 2 moved it (no new content); 3 brought [c]. */
  const revisions = new Map<number, Partial<RevisionState>>([
    [1, { contentRevision: 1, manifest: inline([a, b]) }],
    [2, { contentRevision: 1 }],
    [3, { contentRevision: 3, manifest: inline([c]) }],
  ]);
  const key = (pk: string) => ({ pk, sk: 'x' });

  function migrate(items: HashedItem[], writes: Map<string, string>) {
    const deps: ContentHashDeps = {
      files: { getRevision: async (_fileId: string, revision: number) => revisions.get(revision) as RevisionState | undefined },
      manifests: { load: async (ref: ManifestRef) => (ref.kind === 'inline' ? ref.chunks : []) },
      walk: {
        setContentHash: async (k, from, to) => {
          if (k.pk === 'vanished') return false;
          expect(from).toBe(old);
          writes.set(k.pk, to);
          return true;
        },
      },
    };
    return contentHashMigration('0001', deps).migratePage(items);
  }

  it('gives every item the hash of the content it names, from that content\'s manifest', async () => {
    // Prepare
    const items: HashedItem[] = [
      { kind: 'revision', key: key('rev1'), contentHash: old, fileId: FILE_ID, contentRevision: 1, manifest: inline([a, b]) },
      { kind: 'revision', key: key('rev2 (a move)'), contentHash: old, fileId: FILE_ID, contentRevision: 1 },
      { kind: 'file', key: key('file'), contentHash: old, fileId: FILE_ID, contentRevision: 3 },
      { kind: 'path', key: key('path'), contentHash: old, fileId: FILE_ID, revision: 2 },
      { kind: 'journal', key: key('journal'), contentHash: old, fileId: FILE_ID, revision: 3 },
      { kind: 'session', key: key('session'), contentHash: old, manifest: inline([b, a]) },
    ];
    const writes = new Map<string, string>();

    // Act
    const outcome = await migrate(items, writes);

    // Assess
    const ab = contentHashOfChunks([a, b]);
    expect(Object.fromEntries(writes)).toEqual({
      rev1: ab,
      'rev2 (a move)': ab,
      file: contentHashOfChunks([c]),
      path: ab,
      journal: contentHashOfChunks([c]),
      session: contentHashOfChunks([b, a]),
    });
    expect(outcome).toEqual({ updated: 6, unresolved: 0 });
  });

  it('leaves items that already hold it, items changed meanwhile, and items whose content is gone', async () => {
    const writes = new Map<string, string>();

    const outcome = await migrate(
      [
        { kind: 'file', key: key('current'), contentHash: contentHashOfChunks([c]), fileId: FILE_ID, contentRevision: 3 },
        { kind: 'file', key: key('vanished'), contentHash: old, fileId: FILE_ID, contentRevision: 3 },
        { kind: 'journal', key: key('purged revision'), contentHash: old, fileId: FILE_ID, revision: 9 },
      ],
      writes,
    );

    expect(writes.size).toBe(0);
    expect(outcome).toEqual({ updated: 0, unresolved: 1 });
  });
});
