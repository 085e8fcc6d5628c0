/**
 * client/src/core runs in browsers as it is: it type-checks against the DOM and ES libraries alone
 * (no Node types, so no Buffer, process or NodeJS.* slips in; .dependency-cruiser.cjs already forbids
 * Node built-in modules), and it bundles for the browser platform with everything it imports.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { build } from 'esbuild';

const root = path.resolve(__dirname, '../../..');

test('type-checks with browser libraries only', () => {
  const run = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'client/src/core/tsconfig.json'], { cwd: root, encoding: 'utf8' });
  expect(run.stdout + run.stderr).toBe('');
  expect(run.status).toBe(0);
}, 120_000);

test('bundles for the browser platform, dependencies included', async () => {
  const result = await build({
    entryPoints: [path.join(root, 'client/src/core/index.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    tsconfig: path.join(root, 'tsconfig.json'),
  });
  expect(result.errors).toEqual([]);
  expect(result.outputFiles[0].text).not.toMatch(/\brequire\(["']node:/);
}, 60_000);
