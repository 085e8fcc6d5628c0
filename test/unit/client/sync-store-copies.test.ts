/**
 * The sync store keeps the synced and remote trees in memory (client/src/state/sync-state.ts): what
 * it answers must stay what the database holds, whoever wrote it: this store, the selection through
 * the same connection, or another tote process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileIdentity } from '../../../client/src/localfs/identity';
import { StateStore } from '../../../client/src/state/store';
import type { SyncedFile } from '../../../client/src/sync/model';
import { relKey } from '../../../client/src/sync/paths';

const IDENTITY: FileIdentity = { size: 1, mtimeNs: 5n, ctimeNs: 6n, inode: 7n, device: 8n };
const synced = (fileId: string, rel: string): SyncedFile => ({ fileId, rel, key: relKey(rel), revision: 1, hash: 'h', size: 1, identity: IDENTITY });
const remote = (fileId: string, rel: string, live = true) => ({ fileId, rel: live ? rel : '', key: live ? relKey(rel) : '', revision: 1, hash: 'h', size: 1, live });

let dir: string;
let store: StateStore;
let other: StateStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tote-sync-copies-'));
  store = StateStore.open(dir);
  store.sync.link({ endpoint: 'http://127.0.0.1:1', remoteRoot: '/', deviceName: 'd' });
  other = StateStore.open(dir);
});
afterEach(() => {
  store.close();
  other.close();
  rmSync(dir, { recursive: true, force: true });
});

const rels = (s: StateStore) => s.sync.syncedFiles().map((f) => `${f.fileId}:${f.rel}`);

test('the synced tree read from memory follows this store\'s writes, in path order, one file per path', () => {
  // Prepare
  store.sync.recordSynced(synced('f2', 'b.txt'));
  store.sync.recordSynced(synced('f1', 'a.txt'));
  expect(rels(store)).toEqual(['f1:a.txt', 'f2:b.txt']);

  // Act
  store.sync.recordSynced(synced('f3', 'A.txt')); // takes a.txt's path key
  store.sync.forgetSynced('f2');
  store.sync.recordSynced(synced('f4', 'c/d.txt'));
  store.sync.settleLegacyHash('f4', 'h2');

  // Assess
  expect(rels(store)).toEqual(['f3:A.txt', 'f4:c/d.txt']);
  expect(store.sync.syncedFiles()).toEqual(other.sync.syncedFiles());
  expect(store.sync.syncedFiles().find((f) => f.fileId === 'f4')).toMatchObject({ hash: 'h2', identity: IDENTITY });
});

test('a legacy hash settled after the tree was read is what the next read answers (hash-upgrade.ts)', () => {
  // Prepare: the tree read once, as the pass before the upgrade does
  store.sync.recordSynced(synced('f1', 'a.txt'));
  store.sync.recordSynced(synced('f2', 'b.txt'));
  expect(store.sync.syncedFiles().map((f) => f.hash)).toEqual(['h', 'h']);

  // Act
  store.sync.settleLegacyHash('f2', 'new-hash');

  // Assess
  expect(store.sync.syncedFiles().map((f) => `${f.fileId}:${f.hash}`)).toEqual(['f1:h', 'f2:new-hash']);
  expect(store.sync.syncedFiles()).toEqual(other.sync.syncedFiles());
});

test('what another connection commits, and the selection writes through this one, is read again', () => {
  // Prepare
  store.sync.recordSynced(synced('f1', 'keep/a.txt'));
  store.sync.recordSynced(synced('f2', 'out/b.txt'));
  store.sync.recordSynced(synced('f3', 'gone/c.txt'));
  expect(rels(store)).toHaveLength(3);

  // Act
  other.selection.exclude({ rel: 'out', key: relKey('out') });
  const afterOther = rels(store);
  store.selection.exclude({ rel: 'gone', key: relKey('gone') });

  // Assess
  expect(afterOther).toEqual(['f3:gone/c.txt', 'f1:keep/a.txt']);
  expect(rels(store)).toEqual(['f1:keep/a.txt']);
});

test('the remote tree: live files in path order, tombstones only by id, and a relisting replaces it', () => {
  // Prepare
  store.sync.applyRemote([remote('r2', 'z.txt'), remote('r1', 'm.txt'), remote('r3', 'x.txt', false)], 'c1');

  // Act
  const first = store.sync.remoteFiles().map((f) => f.fileId);
  const tombstone = store.sync.remoteRow('r3');
  other.sync.applyRemote([remote('r4', 'a.txt')], 'c2');
  const afterOther = store.sync.remoteFiles().map((f) => f.fileId);
  store.sync.replaceRemote([remote('r5', 'b.txt')], 'c3');

  // Assess
  expect(first).toEqual(['r1', 'r2']);
  expect(tombstone?.live).toBe(false);
  expect(afterOther).toEqual(['r4', 'r1', 'r2']);
  expect(store.sync.remoteFiles().map((f) => f.fileId)).toEqual(['r5']);
  expect(store.sync.remoteRow('r1')).toBeUndefined();
  expect(store.sync.root()?.cursor).toBe('c3');
});
