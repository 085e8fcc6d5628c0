import BetterSqlite3 from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from '../../../client/src/core/chunking/manifest';
import type { FileIdentity } from '../../../client/src/localfs/identity';
import { loadMigrations, migrate } from '../../../client/src/state/migrate';
import { STATE_DB_FILE, StateStore } from '../../../client/src/state/store';

const hash = (c: string) => c.repeat(64);
const identity = (over: Partial<FileIdentity> = {}): FileIdentity => ({
  size: 30,
  mtimeNs: 1_700_000_000_123_456_789n,
  ctimeNs: 1_700_000_000_987_654_321n,
  inode: 42n,
  device: 2049n,
  ...over,
});
const manifest: Manifest = {
  size: 30,
  contentHash: hash('f'),
  chunks: [
    { index: 0, offset: 0, size: 10, hash: hash('a') },
    { index: 1, offset: 10, size: 20, hash: hash('b') },
  ],
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tote-state-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('migrations', () => {
  it('creates the schema on a new database and records its version', () => {
    StateStore.open(dir).close();
    const db = new BetterSqlite3(join(dir, STATE_DB_FILE));
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual([
      'download_chunks',
      'downloads',
      'excluded_folders',
      'held_deletes',
      'legacy_synced_hashes',
      'local_chunks',
      'local_files',
      'remote_files',
      'sync_root',
      'synced_files',
      'upload_chunks',
      'uploads',
    ]);
    expect(db.pragma('user_version', { simple: true })).toBe(loadMigrations().length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('applies nothing to an up-to-date database', () => {
    const db = new BetterSqlite3(':memory:');
    expect(migrate(db)).toEqual(loadMigrations().map((m) => m.version));
    expect(migrate(db)).toEqual([]);
  });

  it('applies only the migrations after the recorded version, in order', () => {
    const migrations = [
      { version: 1, name: 'one', sql: 'CREATE TABLE one (x INTEGER);' },
      { version: 2, name: 'two', sql: 'CREATE TABLE two (x INTEGER);' },
    ];
    const db = new BetterSqlite3(':memory:');
    expect(migrate(db, migrations.slice(0, 1))).toEqual([1]);
    expect(migrate(db, migrations)).toEqual([2]);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
  });

  it('rolls a failing migration back entirely', () => {
    const db = new BetterSqlite3(':memory:');
    expect(() => migrate(db, [{ version: 1, name: 'bad', sql: 'CREATE TABLE ok (x); CREATE TABLE ok (x);' }])).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'ok'").pluck().get()).toBe(0);
  });

  it('refuses a database written by a newer client', () => {
    const db = new BetterSqlite3(join(dir, STATE_DB_FILE));
    db.pragma('user_version = 99');
    db.close();
    expect(() => StateStore.open(dir)).toThrow(expect.objectContaining({ code: 'LOCAL_IO', message: expect.stringContaining('newer tote') }));
  });

  it('reads migration files in numeric order and rejects gaps', () => {
    const files = join(dir, 'migrations');
    mkdirSync(files);
    writeFileSync(join(files, '002_second.sql'), 'SELECT 2;');
    writeFileSync(join(files, '001_first.sql'), 'SELECT 1;');
    writeFileSync(join(files, 'README.md'), 'not a migration');
    expect(loadMigrations(files).map((m) => m.name)).toEqual(['first', 'second']);
    writeFileSync(join(files, '004_fourth.sql'), 'SELECT 4;');
    expect(() => loadMigrations(files)).toThrow(/out of sequence/);
  });
});

describe('upload ledger (resume bookkeeping)', () => {
  const session = {
    uploadId: 'u1',
    endpoint: 'http://127.0.0.1:4080',
    localPath: '/data/big.bin',
    remotePath: '/big.bin',
    size: 30,
  };
  const confirmed = (store: StateStore, remotePath = session.remotePath) => store.uploads.confirmedFor(session.endpoint, remotePath);

  it('keeps confirmed chunks across a process that died without closing the database', () => {
    const first = StateStore.open(dir);
    first.uploads.begin(session);
    first.uploads.confirm('u1', hash('a'), 10);
    // No close(): a killed process never gets to it.
    const second = StateStore.open(dir);
    expect(confirmed(second)).toEqual(new Set([hash('a')]));
    second.close();
    first.close();
  });

  it('answers every chunk confirmed for the same target, whichever session (a rerun opens a new one), once', () => {
    const store = StateStore.open(dir);
    store.uploads.begin(session);
    store.uploads.begin({ ...session, uploadId: 'u2' });
    store.uploads.begin({ ...session, uploadId: 'u3', remotePath: '/other.bin' });
    store.uploads.confirm('u1', hash('a'), 10);
    store.uploads.confirm('u1', hash('a'), 10);
    store.uploads.confirm('u2', hash('a'), 10);
    store.uploads.confirm('u2', hash('b'), 10);
    store.uploads.confirm('u3', hash('c'), 10);
    expect(confirmed(store)).toEqual(new Set([hash('a'), hash('b')]));
    expect(confirmed(store, '/other.bin')).toEqual(new Set([hash('c')]));
    store.close();
  });

  it('forgets a committed session, with every other unfinished one to the same target', () => {
    const store = StateStore.open(dir);
    store.uploads.begin(session);
    store.uploads.begin({ ...session, uploadId: 'u2' });
    store.uploads.begin({ ...session, uploadId: 'u3', remotePath: '/other.bin' });
    store.uploads.confirm('u1', hash('a'), 10);
    store.uploads.confirm('u3', hash('c'), 10);
    store.uploads.finish('u2');
    expect(confirmed(store).size).toBe(0);
    expect(confirmed(store, '/other.bin').size).toBe(1);
    store.close();
  });

  it('prunes sessions older than a cutoff', () => {
    const store = StateStore.open(dir);
    store.uploads.begin(session);
    store.uploads.confirm('u1', hash('a'), 10);
    expect(store.uploads.pruneStartedBefore(Date.now() - 60_000)).toBe(0);
    expect(store.uploads.pruneStartedBefore(Date.now() + 1)).toBe(1);
    expect(confirmed(store).size).toBe(0);
    store.close();
  });
});

describe('download ledger', () => {
  const record = { tempPath: '/d/.f.tote-download-x', destPath: '/d/f', fileId: 'x', revision: 3, contentHash: hash('f'), size: 30 };
  const chunk = { index: 1, offset: 10, size: 20, hash: hash('b') };

  it('resumes the same revision with the chunks already written', () => {
    const store = StateStore.open(dir);
    expect(store.downloads.begin(record)).toEqual([]);
    store.downloads.written(record.tempPath, chunk);
    expect(store.downloads.begin(record)).toEqual([chunk]);
    store.close();
  });

  it('resumes the same revision whatever content hash was recorded (one from before the content-hash switch names the same bytes)', () => {
    const store = StateStore.open(dir);
    store.downloads.begin({ ...record, contentHash: hash('whole file, the old definition') });
    store.downloads.written(record.tempPath, chunk);
    expect(store.downloads.begin(record)).toEqual([chunk]);
    store.close();
  });

  it('starts over when the temp file belonged to another revision', () => {
    const store = StateStore.open(dir);
    store.downloads.begin(record);
    store.downloads.written(record.tempPath, chunk);
    expect(store.downloads.begin({ ...record, revision: 4 })).toEqual([]);
    expect(store.downloads.begin({ ...record, revision: 4 })).toEqual([]);
    store.close();
  });

  it('forgets a finished download', () => {
    const store = StateStore.open(dir);
    store.downloads.begin(record);
    store.downloads.written(record.tempPath, chunk);
    store.downloads.finish(record.tempPath);
    expect(store.downloads.begin(record)).toEqual([]);
    store.close();
  });
});

describe('local file index', () => {
  it('returns the recorded manifest only while the file keeps its identity', () => {
    const store = StateStore.open(dir);
    store.localFiles.record('/data/f', identity(), manifest);
    expect(store.localFiles.lookup('/data/f', identity())).toEqual(manifest);
    expect(store.localFiles.lookup('/data/f', identity({ mtimeNs: identity().mtimeNs + 1n }))).toBeUndefined();
    expect(store.localFiles.lookup('/data/f', identity({ ctimeNs: 1n }))).toBeUndefined();
    expect(store.localFiles.lookup('/data/f', identity({ inode: 43n }))).toBeUndefined();
    expect(store.localFiles.lookup('/data/f', identity({ size: 31 }))).toBeUndefined();
    expect(store.localFiles.lookup('/data/other', identity())).toBeUndefined();
    store.close();
  });

  it('replaces a file record and finds chunk sources by hash', () => {
    const store = StateStore.open(dir);
    store.localFiles.record('/data/f', identity(), manifest);
    store.localFiles.record('/data/g', identity({ inode: 7n }), manifest);
    store.localFiles.record('/data/f', identity({ size: 10 }), { size: 10, contentHash: hash('a'), chunks: [manifest.chunks[0]] });
    expect(store.localFiles.sources(hash('b'))).toEqual([{ path: '/data/g', offset: 10, size: 20, identity: identity({ inode: 7n }) }]);
    expect(store.localFiles.sources(hash('a')).map((s) => s.path).sort()).toEqual(['/data/f', '/data/g']);
    store.localFiles.forget('/data/g');
    expect(store.localFiles.sources(hash('b'))).toEqual([]);
    store.close();
  });
});
