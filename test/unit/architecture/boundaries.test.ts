/**
 * The folder rules of .dependency-cruiser.cjs (who may import whom, no cycles, no AWS SDK in the
 * domain, a browser-safe core) hold for the whole tree; `npm run boundaries` prints the same report.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');

test('every import respects the architecture rules', () => {
  const run = spawnSync('npm', ['run', '--silent', 'boundaries'], { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) process.stdout.write(run.stdout + run.stderr);
  expect(run.stdout).toContain('no dependency violations found');
  expect(run.status).toBe(0);
}, 60_000);
