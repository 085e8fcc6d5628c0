import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IgnoreRules } from '../../../../client/src/sync/ignore-rules';
import { scanLocal } from '../../../../client/src/sync/local-scan';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'tote-scan-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const write = (rel: string, text = 'x') => {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), text);
};

describe('scanLocal', () => {
  it('lists regular files with identity and key, leaving out ignored names, download temp files and .tote/', async () => {
    // Prepare
    write('a.txt', 'abc');
    write('Docs/B.md');
    write('.DS_Store');
    write('.tote/state.db');
    write('Docs/.b.md.tote-download-0b7f3c1e');
    // Act
    const scan = await scanLocal(root, IgnoreRules.of());
    // Assess
    expect(scan.files.map((f) => [f.rel, f.key])).toEqual([
      ['Docs/B.md', '/docs/b.md'],
      ['a.txt', '/a.txt'],
    ]);
    expect(scan.files[1].identity.size).toBe(3);
    expect(scan.warnings).toEqual([]);
  });

  it('skips symbolic links and names the service cannot store, with a warning; warns of names other systems cannot hold', async () => {
    // Prepare
    write('target.txt');
    symlinkSync(join(root, 'target.txt'), join(root, 'link.txt'));
    write('bad\u0001name.txt');
    write('what?.txt');
    write('CON.txt');
    // Act
    const scan = await scanLocal(root, IgnoreRules.of());
    // Assess
    expect(scan.files.map((f) => f.rel)).toEqual(['CON.txt', 'target.txt', 'what?.txt']);
    expect(scan.warnings.map((w) => [w.code, w.rel])).toEqual([
      ['not-portable', 'CON.txt'],
      ['invalid-name', 'bad\u0001name.txt'],
      ['symlink', 'link.txt'],
      ['not-portable', 'what?.txt'],
    ]);
  });

  it('reports what it skipped as unseen (with the identity of regular files, those inside a refused folder name too), and each folder\'s last change', async () => {
    // Prepare
    write('bad\u0001name.txt');
    write('refused\u0002/inner.txt');
    symlinkSync('/nowhere', join(root, 'link.txt'));
    write('docs/a.txt');
    // Act
    const scan = await scanLocal(root, IgnoreRules.of());
    // Assess
    expect(scan.unseen.map((u) => [u.rel, u.kind, u.identity?.inode])).toEqual([
      ['bad\u0001name.txt', 'refused', lstatSync(join(root, 'bad\u0001name.txt'), { bigint: true }).ino],
      ['link.txt', 'not-a-file', undefined],
      ['refused\u0002/inner.txt', 'refused', lstatSync(join(root, 'refused\u0002', 'inner.txt'), { bigint: true }).ino],
    ]);
    expect([...scan.folders.keys()].sort()).toEqual(['', 'docs', 'refused\u0002']);
    expect(scan.folders.get('docs')).toBe(Math.trunc(lstatSync(join(root, 'docs')).ctimeMs));
  });

  it('notes a folder it cannot read as unseen and goes on (a permission error is not an empty folder)', async () => {
    // Prepare: the failure a user without permission meets (root reads anything, so it is injected here;
    // test/integration/sync/missing-is-not-deleted.test.ts meets the real one)
    write('locked/secret.txt');
    write('open.txt');
    // The module object itself (an `import * as` namespace would be a copy the scanner never calls).
    const fsPromises = jest.requireActual<typeof import('node:fs/promises')>('node:fs/promises');
    const realReaddir = fsPromises.readdir;
    const readdir = jest.spyOn(fsPromises, 'readdir').mockImplementation(((path: string, options: never) =>
      String(path).endsWith('locked') ? Promise.reject(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })) : realReaddir(path, options)) as never);
    try {
      // Act
      const scan = await scanLocal(root, IgnoreRules.of());
      // Assess
      expect(scan.files.map((f) => f.rel)).toEqual(['open.txt']);
      expect(scan.unseen).toEqual([{ rel: 'locked', kind: 'unreadable' }]);
      expect(scan.warnings.map((w) => [w.code, w.rel])).toEqual([['unreadable', 'locked']]);
    } finally {
      readdir.mockRestore();
    }
  });

  it('fails when the root itself cannot be read (never an empty folder)', async () => {
    await expect(scanLocal(join(root, 'missing'), IgnoreRules.of())).rejects.toMatchObject({ code: 'LOCAL_NOT_FOUND' });
  });
});
