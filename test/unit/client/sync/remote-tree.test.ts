/**
 * The remote tree's feed against a scripted service: a folder change applies to the rows as the
 * service had them at that point of its journal, so a file this device changed after the folder
 * moved (recorded from the service's answer, ahead of the feed) is neither moved nor deleted with it.
 * Before, such a file was moved in the tree only: the device deleted its copy as moved away, and the
 * service's later revisions of it were taken for echoes (trinity TOTE_SEED=7100 with folder moves).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChangeEntry, ChangesResponse, FileMetadata } from '@contract/schemas';
import type { ApiClient } from '../../../../client/src/core/api/client';
import { StateStore } from '../../../../client/src/state/store';
import { RemoteTree } from '../../../../client/src/sync/remote-tree';

const HASH = 'a'.repeat(64);
const AT = '2026-12-07T00:00:00.000Z';

let dir: string;
let state: StateStore;
let pages: ChangesResponse[];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tote-remote-tree-'));
  state = StateStore.open(dir);
  state.sync.link({ endpoint: 'http://127.0.0.1', remoteRoot: '/', deviceName: 'laptop' });
  state.sync.applyRemote([], 'c0');
  pages = [];
});
afterEach(() => {
  state.close();
  rmSync(dir, { recursive: true, force: true });
});

const api = { call: async () => pages.shift() ?? { entries: [], cursor: 'end', hasMore: false } } as unknown as ApiClient;
const tree = () => new RemoteTree(api, state.sync, '/');

function answer(fileId: string, path: string, revision: number, status: FileMetadata['status'] = 'uploaded'): FileMetadata {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return { fileId, ownerId: 'u', path, name, size: 1, mimeType: 'text/plain', contentHash: HASH, revision, status, chunkCount: 1, createdAt: AT, updatedAt: AT };
}

const put = (seq: number, fileId: string, path: string, revision: number): ChangeEntry => ({
  seq,
  type: 'put',
  fileId,
  ownerId: 'u',
  path,
  name: path.slice(path.lastIndexOf('/') + 1),
  revision,
  size: 1,
  contentHash: HASH,
  at: AT,
});
const moveFolder = (seq: number, fromPath: string, path: string): ChangeEntry => ({ seq, type: 'moveFolder', ownerId: 'u', fromPath, path, at: AT });
const deleteFolder = (seq: number, path: string): ChangeEntry => ({ seq, type: 'deleteFolder', ownerId: 'u', path, at: AT });
const page = (entries: ChangeEntry[], hasMore = false): ChangesResponse => ({ entries, cursor: `c${entries[entries.length - 1]?.seq ?? 0}`, hasMore });

const where = (fileId: string) => {
  const row = state.sync.remoteRow(fileId);
  return row && { rel: row.rel, revision: row.revision, live: row.live };
};

describe('a folder change read after this device changed a file', () => {
  it('leaves a file uploaded into the folder after it moved away where the service has it', async () => {
    // Prepare: docs/old.txt synced; docs moves to moved0 (seq 2), then this device uploads docs/new.txt (seq 3)
    state.sync.applyRemote([{ fileId: 'old', rel: 'docs/old.txt', key: '/docs/old.txt', revision: 1, hash: HASH, size: 1, live: true }], 'c1');
    tree().noteOwnChange(answer('new', '/docs/new.txt', 1));
    pages = [page([moveFolder(2, '/docs', '/moved0'), put(3, 'new', '/docs/new.txt', 1)])];
    // Act
    await tree().pull();
    // Assess
    expect(where('new')).toEqual({ rel: 'docs/new.txt', revision: 1, live: true });
    expect(where('old')).toEqual({ rel: 'moved0/old.txt', revision: 2, live: true });
    expect(state.sync.remoteRow('new')?.ahead).toBeFalsy();
  });

  it('does so when the echo comes on a later page, and across a restart', async () => {
    // Prepare
    tree().noteOwnChange(answer('new', '/docs/new.txt', 1));
    state.close();
    state = StateStore.open(dir);
    pages = [page([moveFolder(2, '/docs', '/moved0')], true), page([put(3, 'new', '/docs/new.txt', 1)])];
    // Act
    await tree().pull();
    // Assess
    expect(where('new')).toEqual({ rel: 'docs/new.txt', revision: 1, live: true });
  });

  it('leaves a file uploaded into a folder after it was deleted alive, and takes the next revision from another device', async () => {
    // Prepare
    tree().noteOwnChange(answer('new', '/docs/new.txt', 1));
    pages = [page([deleteFolder(2, '/docs'), put(3, 'new', '/docs/new.txt', 1), put(4, 'new', '/docs/new.txt', 2)])];
    // Act
    await tree().pull();
    // Assess
    expect(where('new')).toEqual({ rel: 'docs/new.txt', revision: 2, live: true });
  });

  it('moves a file this device changed before the folder moved (its echo comes first)', async () => {
    // Prepare
    tree().noteOwnChange(answer('new', '/docs/new.txt', 1));
    pages = [page([put(2, 'new', '/docs/new.txt', 1), moveFolder(3, '/docs', '/moved0')])];
    // Act
    await tree().pull();
    // Assess
    expect(where('new')).toEqual({ rel: 'moved0/new.txt', revision: 2, live: true });
  });
});
