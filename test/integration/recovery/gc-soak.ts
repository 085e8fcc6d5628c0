/**
 * `npm run soak:gc -- --runs <n> [--seed-base <s>]`: the collector race test (gc-race.test.ts) for n
 * fresh seeds, through the integration project (which starts its own local runtime on radosgw when
 * Ceph is installed). Every seed is printed; a failing one replays with TOTE_SEED=<seed>.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const runs = Number(option('runs') ?? 20);
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write('usage: npm run soak:gc -- --runs <n> [--seed-base <seed>]\n');
  process.exit(2);
}
const base = option('seed-base') ?? String(Date.now() % 1_000_000_000);
process.stdout.write(`soak:gc: ${runs} run(s) of the collector race test, seeds ${base}..${Number(base) + runs - 1}\n`);
const root = join(__dirname, '..', '..', '..');
const jest = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--selectProjects', 'integration', '--runTestsByPath', 'test/integration/recovery/gc-race.test.ts'],
  { cwd: root, stdio: 'inherit', env: { ...process.env, TOTE_GC_RUNS: String(runs), TOTE_SEED_BASE: base } },
);
process.exit(jest.status ?? 1);
