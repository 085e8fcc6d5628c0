/**
 * The installable `tote` (client/scripts/client-package.ts): how big it is, and how long a fresh
 * process takes for `tote --help` and `tote --version`, beside Node starting with nothing to do (the
 * floor on this machine) and the repository's `npx tote` (TypeScript through tsx). Runs are
 * interleaved, so each command sees the same load.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildClientPackage, packClientPackage } from '../../client/scripts/client-package';
import { REPO_ROOT } from '../../test/integration/harness/runtime-process';
import { fixed } from '../measure';
import type { Table } from '../report';

const RUNS = 21;
/** The tsx launcher takes about a second a start: fewer runs of it. */
const SOURCE_RUNS = 5;
const KiB = 1024;

interface Command {
  readonly label: string;
  readonly args: readonly string[];
  readonly runs: number;
}

/** CPU time (user + system) of this process's finished children, in ms: Linux's cutime and cstime, at 100 ticks a second. */
function childrenCpuMs(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

/** One run, start to exit: its wall and CPU milliseconds (failing loudly: a start-up that fails measures nothing). */
function once(args: readonly string[], cwd: string): { wall: number; cpu: number } {
  const cpu = childrenCpuMs();
  const start = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: cwd } });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return { wall, cpu: childrenCpuMs() - cpu };
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];

export async function cliPackage(workDir: string): Promise<Table[]> {
  const pkg = await buildClientPackage(join(workDir, 'client-package'));
  const tarball = packClientPackage(pkg, workDir);
  const entry = join(pkg.dir, 'tote.mjs');
  const commands: Command[] = [
    { label: 'node -e 0 (Node alone: the floor)', args: ['-e', '0'], runs: RUNS },
    { label: '`tote --help` (installed bundle)', args: [entry, '--help'], runs: RUNS },
    { label: '`tote --version` (installed bundle)', args: [entry, '--version'], runs: RUNS },
    { label: '`npx tote --help` (repository, tsx)', args: [join(REPO_ROOT, 'client', 'bin', 'tote.cjs'), '--help'], runs: SOURCE_RUNS },
  ];
  const times = commands.map(() => [] as { wall: number; cpu: number }[]);
  for (let round = 0; round < RUNS; round++) {
    commands.forEach((command, i) => {
      if (round < command.runs) times[i].push(once(command.args, workDir));
    });
  }
  const startup: Table = {
    title: 'CLI start-up',
    columns: ['Command', 'Median, ms', 'Fastest, ms', '90th percentile, ms', 'CPU, ms (median)', 'Runs'],
    rows: commands.map((command, i) => {
      const wall = times[i].map((t) => t.wall).sort((a, b) => a - b);
      const cpu = times[i].map((t) => t.cpu).sort((a, b) => a - b);
      return [command.label, fixed(percentile(wall, 0.5), 0), fixed(wall[0], 0), fixed(percentile(wall, 0.9), 0), fixed(percentile(cpu, 0.5), 0), String(wall.length)];
    }),
    note: `A fresh \`node\` process each run, from start to exit, Node ${process.version}: the time a person waits, and the CPU the process used (all its threads, in 10 ms ticks), which moves less with the machine's load. \`npx\` itself (npm resolving the bin) would add its own start to the last row; it is left out.`,
  };
  const size: Table = {
    title: 'CLI package',
    columns: ['What', 'KiB'],
    rows: [
      ['JavaScript in the package (the bundle, split in chunks)', fixed(pkg.bundleBytes / KiB, 0)],
      ['of which `tote --help` loads', fixed(pkg.startupBytes / KiB, 0)],
      [`Tarball (${tarball.split('/').pop()})`, fixed(statSync(tarball).size / KiB, 0)],
    ],
    note: 'Minified esbuild output, ES modules with code splitting; better-sqlite3 is installed by npm beside it and not counted.',
  };
  return [startup, size];
}
