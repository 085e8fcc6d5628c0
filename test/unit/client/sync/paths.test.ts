import { caseConflictName, conflictedCopyName, relativeTo, relKey, remotePathOf, sameSpelling } from '../../../../client/src/sync/paths';

const DAY = new Date('2026-03-04T23:59:00Z');
const none = () => false;

describe('sync paths', () => {
  it.each([
    ['report.txt', 'report (conflicted copy laptop 2026-03-04).txt'],
    ['docs/archive.tar.gz', 'docs/archive.tar (conflicted copy laptop 2026-03-04).gz'],
    ['Makefile', 'Makefile (conflicted copy laptop 2026-03-04)'],
    ['.bashrc', '.bashrc (conflicted copy laptop 2026-03-04)'],
  ])('names the conflicted copy of %s %s', (rel, copy) => {
    expect(conflictedCopyName(rel, 'laptop', DAY, none)).toBe(copy);
  });

  it('numbers a copy whose name (in any case) is taken', () => {
    // Prepare
    const taken = new Set([relKey('a (conflicted copy laptop 2026-03-04).txt'), relKey('A (Conflicted Copy laptop 2026-03-04 2).txt')]);
    // Act
    const copy = conflictedCopyName('a.txt', 'laptop', DAY, (k) => taken.has(k));
    // Assess
    expect(copy).toBe('a (conflicted copy laptop 2026-03-04 3).txt');
  });

  it('names a case-clash copy', () => {
    expect(caseConflictName('dir/Notes.md', none)).toBe('dir/Notes (case conflict).md');
  });

  it('folds case and Unicode normalization into one key, and NFC/NFD are one spelling', () => {
    const nfc = 'caf\u00e9.txt';
    const nfd = 'cafe\u0301.txt';
    expect(relKey(nfd)).toBe(relKey('CAF\u00c9.TXT'));
    expect(sameSpelling(nfc, nfd)).toBe(true);
    expect(sameSpelling('a.txt', 'A.txt')).toBe(false);
  });

  it.each([
    ['/', '/docs/a.txt', 'docs/a.txt'],
    ['/Photos', '/photos/2024/x.jpg', '2024/x.jpg'],
    ['/Photos', '/Photoshop/x.psd', undefined],
    ['/Photos', '/other/x.jpg', undefined],
  ])('under remote root %s, %s is %s', (root, remotePath, rel) => {
    expect(relativeTo(root, remotePath)).toBe(rel);
  });

  it('builds remote paths under the remote root in NFC', () => {
    expect(remotePathOf('/', 'cafe\u0301.txt')).toBe('/caf\u00e9.txt');
    expect(remotePathOf('/Photos', '2024/x.jpg')).toBe('/Photos/2024/x.jpg');
  });
});
