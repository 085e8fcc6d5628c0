import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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
});
