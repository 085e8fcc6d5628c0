import type { FileIdentity } from '../../../../client/src/localfs/identity';
import { blindSpots } from '../../../../client/src/sync/blind-spots';
import type { SyncedFile } from '../../../../client/src/sync/model';
import { relKey } from '../../../../client/src/sync/paths';

const identity = (inode: number): FileIdentity => ({ size: 1, mtimeNs: 1n, ctimeNs: 1n, inode: BigInt(inode), device: 7n });
const synced = (rel: string, inode: number): SyncedFile => ({ fileId: rel, rel, key: relKey(rel), revision: 1, hash: 'h', size: 1, identity: identity(inode) });
const NOW = 1_000_000;

describe('blindSpots', () => {
  const scan = {
    unseen: [
      { rel: 'locked', kind: 'unreadable' as const },
      { rel: 'link.txt', kind: 'not-a-file' as const },
      { rel: 'linked-folder', kind: 'not-a-file' as const },
      { rel: 'bad\u0001.txt', kind: 'refused' as const, identity: identity(42) },
    ],
    folders: new Map<string, number>(),
  };
  const spots = blindSpots(scan, [synced('renamed.txt', 42), synced('docs/fine.txt', 43)], ['docs/unreadable.bin'], NOW, 1_000);

  it.each([
    ['a file under an unreadable folder', 'Locked/deep/a.txt', true],
    ['the unreadable folder itself, in another case', 'LOCKED', true],
    ['a file beside it with a name that starts the same', 'locked-not/a.txt', false],
    ['a file that could not be hashed', 'docs/unreadable.bin', true],
    ['a synced file renamed to a refused name (same inode)', 'renamed.txt', true],
    ['a link where a file was (replaced, not unseen)', 'link.txt', false],
    ['an ordinary file', 'docs/fine.txt', false],
  ])('unseen: %s (%s): %s', (_, rel, expected) => {
    expect(spots.unseen(rel)).toBe(expected);
  });

  it.each([
    ['a link where a file was', 'link.txt', true],
    ['a file under a folder replaced by a link', 'linked-folder/a.txt', true],
    ['an unreadable folder (unseen, not replaced)', 'locked/a.txt', false],
    ['an ordinary file', 'docs/fine.txt', false],
  ])('replaced: %s (%s): %s', (_, rel, expected) => {
    expect(spots.replaced(rel)).toBe(expected);
  });

  it.each([
    ['its folder changed just now', 'docs/a.txt', false],
    ['its folder was left alone for the settle time', 'old/a.txt', true],
    ['its folder is gone: the nearest folder left decides (the root changed just now)', 'gone/deep/a.txt', false],
    ['in another case than the folder on disk', 'OLD/a.txt', true],
  ])('goneSettled: %s', (_, rel, expected) => {
    // Prepare
    const scan = { unseen: [], folders: new Map([['', NOW - 10], ['docs', NOW - 999], ['old', NOW - 1_000]]) };
    // Act
    const spots = blindSpots(scan, [], [], NOW, 1_000);
    // Assess
    expect(spots.goneSettled(rel)).toBe(expected);
  });
});
