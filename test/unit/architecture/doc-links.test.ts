/**
 * The project's documents point only at files that are in the repository: every relative Markdown
 * link, and every `something.md` named in backquotes, resolves inside this checkout (a clone has
 * nothing beside it).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const documents = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter((file) => file.length > 0 && existsSync(join(root, file)));

/** Targets a document names: Markdown link targets (without #anchors) and backquoted .md paths. */
function targets(text: string): string[] {
  const links = [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith('#'));
  const named = [...text.matchAll(/`([^`\s]+\.md)`/g)].map((m) => m[1]);
  return [...links, ...named].map((t) => t.split('#')[0]);
}

test('there are documents to check', () => {
  expect(documents).toEqual(expect.arrayContaining(['README.md', 'docs/ARCHITECTURE.md', 'client/README.md']));
});

test.each(documents)('%s links only files in the repository', (document) => {
  const from = dirname(join(root, document));
  const broken = targets(readFileSync(join(root, document), 'utf8')).filter((target) => {
    // A bare file name in backquotes may mean one at the top (`BENCHMARKS.md`) or beside the document.
    const candidates = [resolve(from, target), resolve(root, target)];
    return !candidates.some((path) => !relative(root, path).startsWith('..') && existsSync(path));
  });
  expect(broken).toEqual([]);
});
