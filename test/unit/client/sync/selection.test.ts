import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateStore } from '../../../../client/src/state/store';
import { UNKNOWN_IDENTITY } from '../../../../client/src/sync/model';
import { relKey } from '../../../../client/src/sync/paths';
import { editSelection, excludedFolderOf } from '../../../../client/src/sync/selection';

let dir: string;
let state: StateStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tote-selection-'));
  state = StateStore.open(dir);
  state.sync.link({ endpoint: 'http://127.0.0.1:1', remoteRoot: '/', deviceName: 'dev' });
});
afterEach(() => {
  state.close();
  rmSync(dir, { recursive: true, force: true });
});

const syncedAt = (...rels: string[]) =>
  rels.forEach((rel) => state.sync.recordSynced({ fileId: rel, rel, key: relKey(rel), revision: 1, hash: 'h', size: 1, identity: UNKNOWN_IDENTITY }));
const syncedRels = () => state.sync.syncedFiles().map((s) => s.rel).sort();

describe('excludedFolderOf', () => {
  it.each([
    ['/', '/Videos', 'Videos'],
    ['/', 'Photos/2019/', 'Photos/2019'],
    ['/Work', '/Work/Old', 'Old'],
    ['/Work', '/work/old', 'old'],
    ['/Work', 'Old', 'Old'],
  ])('in a folder synced with %s, %s is %s', (remoteRoot, folder, rel) => {
    expect(excludedFolderOf(remoteRoot, folder)).toEqual({ rel, key: relKey(rel) });
  });

  it.each([
    ['/Work', '/Other/x', /not inside \/Work/],
    ['/', '/', /whole synced folder/],
    ['/', 'a/../b', /not allowed/],
  ])('in a folder synced with %s, refuses %s', (remoteRoot, folder, message) => {
    expect(() => excludedFolderOf(remoteRoot, folder)).toThrow(expect.objectContaining({ code: 'USAGE', message: expect.stringMatching(message) }));
  });
});

describe('editSelection', () => {
  it('excluding a folder forgets the synced files in it (not those of a folder named alike) and bumps the version', () => {
    // Prepare
    syncedAt('Videos/a.mp4', 'Videos/deep/b.mp4', 'Videos2/c.mp4', 'top.txt');
    const before = state.selection.version();
    // Act
    const change = editSelection(state.selection, '/', { exclude: ['/videos'] });
    // Assess
    expect(change.excluded).toEqual(['/videos']);
    expect(syncedRels()).toEqual(['Videos2/c.mp4', 'top.txt']);
    expect(state.selection.version()).toBe(before + 1);
  });

  it('including it again forgets what a pass recorded there meanwhile, and ends exclusions inside it', () => {
    // Prepare
    editSelection(state.selection, '/', { exclude: ['/Videos/deep', '/Videos'] });
    syncedAt('Videos/raced.mp4');
    // Act
    const change = editSelection(state.selection, '/', { include: ['/Videos'] });
    // Assess
    expect(change.excluded).toEqual([]);
    expect(syncedRels()).toEqual([]);
  });

  it('refuses to include a folder inside an excluded one, changing nothing', () => {
    // Prepare
    editSelection(state.selection, '/', { exclude: ['/Videos'] });
    // Act + Assess
    expect(() => editSelection(state.selection, '/', { include: ['/Videos/2019'], exclude: ['/Music'] })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(state.selection.excluded().map((f) => f.rel)).toEqual(['Videos']);
  });

  it('allows held deletes, or restores them by forgetting their synced rows', () => {
    // Prepare
    syncedAt('a.txt', 'b.txt', 'c.txt');
    state.selection.replaceHeld([{ fileId: 'a.txt', rel: 'a.txt' }, { fileId: 'b.txt', rel: 'b.txt' }]);
    // Act + Assess: allowed
    expect(editSelection(state.selection, '/', { allowDeletes: true }).heldDeletes).toBe(2);
    expect(state.selection.held().map((h) => h.allowed)).toEqual([true, true]);
    // an allowance survives the next pass's hold of the same files; files no longer held are dropped
    state.selection.replaceHeld([{ fileId: 'a.txt', rel: 'a.txt' }]);
    expect(state.selection.held()).toEqual([{ fileId: 'a.txt', rel: 'a.txt', allowed: true }]);
    // Act + Assess: restored
    expect(editSelection(state.selection, '/', { restoreDeletes: true }).heldDeletes).toBe(0);
    expect(syncedRels()).toEqual(['b.txt', 'c.txt']);
  });
});
