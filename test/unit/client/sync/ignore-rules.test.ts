import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IgnoreRules } from '../../../../client/src/sync/ignore-rules';

describe('IgnoreRules', () => {
  it.each([
    ['.DS_Store', true],
    ['photos/.DS_Store', true],
    ['Thumbs.db', true],
    ['notes.txt.swp', true],
    ['~$report.docx', true],
    ['.tote/state.db', true],
    ['report.docx', false],
    ['.toteignore', true],
    ['docs/.toteignore', false],
  ])('by default, %s ignored: %s', (rel, ignored) => {
    expect(IgnoreRules.of().ignores(rel)).toBe(ignored);
  });

  it('adds the rules of .toteignore (gitignore syntax), negations included, and never syncs .tote/', async () => {
    // Prepare
    const root = mkdtempSync(join(tmpdir(), 'tote-ignore-'));
    writeFileSync(join(root, '.toteignore'), '# build output\nbuild/\n*.log\n!keep.log\n.tote-not-really\n!.tote/\n');
    // Act
    const rules = await IgnoreRules.load(root);
    // Assess
    expect(rules.ignores('build', true)).toBe(true);
    expect(rules.ignores('build/out/app.js')).toBe(true);
    expect(rules.ignores('logs/server.log')).toBe(true);
    expect(rules.ignores('keep.log')).toBe(false);
    expect(rules.ignores('src/app.ts')).toBe(false);
    expect(rules.ignores('.tote', true)).toBe(true);
    expect(rules.ignores('.tote/sync.log')).toBe(true);
    rmSync(root, { recursive: true });
  });

  it('has only the defaults where there is no .toteignore', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tote-ignore-'));
    expect((await IgnoreRules.load(root)).ignores('Thumbs.db')).toBe(true);
    rmSync(root, { recursive: true });
  });
});
