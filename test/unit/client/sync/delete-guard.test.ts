import { DEFAULT_DELETE_GUARD, guardDeletes } from '../../../../client/src/sync/delete-guard';
import type { Operation } from '../../../../client/src/sync/operations';

const remoteDelete = (i: number): Operation => ({ type: 'delete', side: 'remote', fileId: `f${i}`, rel: `d/${i}.txt`, expectedRevision: 1 });
const upload: Operation = { type: 'add', side: 'remote', rel: 'new.txt', local: { identity: { size: 1, mtimeNs: 1n, ctimeNs: 1n, inode: 1n, device: 1n } } };
const deletes = (n: number) => Array.from({ length: n }, (_, i) => remoteDelete(i));

describe('guardDeletes (defaults: held from 50 deletes that are half the synced files)', () => {
  it.each([
    ['a folder of 49 files out of 60', 49, 60, 0],
    ['50 files out of 100', 50, 100, 50],
    ['50 files out of 101 (less than half)', 50, 101, 0],
    ['every one of 5,000 files (a disk that came back empty)', 5_000, 5_000, 5_000],
  ])('%s: %i deletes of %i synced, %i held', (_, n, syncedCount, held) => {
    // Act
    const guarded = guardDeletes([upload, ...deletes(n)], syncedCount, new Set());
    // Assess
    expect(guarded.held).toHaveLength(held);
    expect(guarded.run).toHaveLength(1 + n - held);
    expect(guarded.run[0]).toBe(upload);
  });

  it('lets deletes the user allowed run, and counts only the others', () => {
    // Act
    const guarded = guardDeletes(deletes(60), 60, new Set(Array.from({ length: 20 }, (_, i) => `f${i}`)), DEFAULT_DELETE_GUARD);
    // Assess: 40 left, below the 50 that hold
    expect(guarded.held).toEqual([]);
    expect(guarded.run).toHaveLength(60);
  });

  it('names the held deletes by file id and path', () => {
    expect(guardDeletes(deletes(3), 3, new Set(), { minFiles: 3, fraction: 0.5 }).held).toEqual([
      { fileId: 'f0', rel: 'd/0.txt' },
      { fileId: 'f1', rel: 'd/1.txt' },
      { fileId: 'f2', rel: 'd/2.txt' },
    ]);
  });
});
