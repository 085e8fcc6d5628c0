/**
 * What `npm run soak` and `npm run soak:gc` share: one randomized test file run for n fresh seeds
 * (`--runs <n> [--seed-base <s>]`) through the integration project, which starts its own local runtime
 * (or tests TOTE_API_URL's deployment). The test prints every seed; a failing one replays with
 * TOTE_SEED=<seed>.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface Soak {
  /** The npm script, for the usage line. */
  readonly script: string;
  /** What runs, as the first line says it. */
  readonly what: string;
  /** The test file, from the repository root. */
  readonly testPath: string;
  /** The variable that tells that test how many seeds to run (it reads TOTE_SEED_BASE for the first). */
  readonly runsVariable: string;
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Runs the soak and exits with jest's status. */
export function soak(spec: Soak): never {
  const runs = Number(option('runs') ?? 20);
  if (!Number.isInteger(runs) || runs < 1) {
    process.stderr.write(`usage: npm run ${spec.script} -- --runs <n> [--seed-base <seed>]\n`);
    process.exit(2);
  }
  const base = option('seed-base') ?? String(Date.now() % 1_000_000_000);
  process.stdout.write(`${spec.script}: ${runs} run(s) of ${spec.what}, seeds ${base}..${Number(base) + runs - 1}\n`);
  const root = join(__dirname, '..', '..', '..');
  const jest = spawnSync(process.execPath, [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--selectProjects', 'integration', '--runTestsByPath', spec.testPath], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, [spec.runsVariable]: String(runs), TOTE_SEED_BASE: base },
  });
  process.exit(jest.status ?? 1);
}
