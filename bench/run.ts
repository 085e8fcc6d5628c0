/**
 * `npm run bench`: measures Tote on a local runtime of its own and writes the tables to BENCHMARKS.md.
 *
 *   npm run bench                 1 GiB up and down against the SDK baseline (--rounds, median), the
 *                                 CloudFront stand-in alone, re-uploads after edits, 10,000 small files,
 *                                 compression; then the Lambda bundles and the CLI package (their own blocks)
 *   npm run bench -- --large      only the 1 GiB table and the stand-in's
 *   npm run bench -- --sweep      small-file uploads at several concurrencies (how the default was chosen)
 *   npm run bench -- --huge       a 20 GiB file up and down through the CLI, with its peak memory
 *   npm run bench -- --cli        the installable CLI: package size and start-up time (no service; the
 *                                 default run measures it too)
 *   npm run bench -- --bundles    each Lambda's bundle size and cold import time (no service; the default
 *                                 run measures them too)
 *   npm run bench -- --web        the web app: what a browser downloads to run it, and 256 MiB up and
 *                                 down in Chromium against the CLI and the SDK alone on the same runtime,
 *                                 with the page's peak memory (--web-mib, --rounds, median; --web-profile
 *                                 disk|memory: a profile on disk as people have, or off the record as the tests;
 *                                 --web-large-mib: one more download alone, 1024 MiB by default, to show
 *                                 that its memory does not grow with the file; 0 skips it)
 *   npm run bench -- --push       A -> B sync latency after an idle minute, with the push channel and without
 *   npm run bench -- --folder-down  only small files up by `tote put <folder>` and down by `tote get <folder>`,
 *                                 with packs and without, vs the S3 baseline (--folder-files)
 *   npm run bench -- --sync       only small files by a first `tote sync --once` up and down vs the S3 baseline
 *                                 (--sync-files), a no-op sync pass over a large folder (--noop-files), and a
 *                                 folder renamed on one device until another has it (--rename-files)
 *
 * Sizes can be scaled down for a quick look (--large-mib, --small-files, --text-mib, --huge-gib); the
 * tables say what was measured. Runs on radosgw when Ceph is installed (as the tests do), else s3rver;
 * --huge always on s3rver, whose store is the file system (the local Ceph OSD is a 16 GiB block file),
 * and --push too (it times notes of a few bytes: how soon B hears, not storage).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TRANSFER_TUNING } from '../client/src/core/transfer/environment';
import { cephUnavailable } from '../local/ceph/installed';
import type { S3BackendName } from '../local/emulators/s3-backend';
import { randomFile, textFile } from './files';
import { describeMachine, loadNow } from './machine';
import { GiB, MiB } from './measure';
import { renderMachine, renderTables, writeBlock, type Table } from './report';
import { bundles } from './sections/bundles';
import { cliPackage } from './sections/cli-package';
import { compression } from './sections/compression';
import { deltas } from './sections/deltas';
import { huge } from './sections/huge';
import { edge } from './sections/edge';
import { folderDownload } from './sections/folder-download';
import { folderRename } from './sections/folder-rename';
import { largeFile, REMOTE_PATH } from './sections/large-file';
import { pushLatency } from './sections/push-latency';
import { smallFiles, uploadSmallFiles } from './sections/small-files';
import { noOpPass, syncSmallFiles } from './sections/sync-small';
import { webBundle } from './sections/web-bundle';
import { webTransfers, type WebProfile } from './sections/web-transfers';
import { startService, type Service } from './service';

const REPORT = join(__dirname, '..', 'BENCHMARKS.md');
const SWEEP_CONCURRENCY = [4, 8, 16, 32, 64];

const { values: flags } = parseArgs({
  options: {
    huge: { type: 'boolean', default: false },
    cli: { type: 'boolean', default: false },
    bundles: { type: 'boolean', default: false },
    web: { type: 'boolean', default: false },
    'folder-down': { type: 'boolean', default: false },
    'folder-files': { type: 'string', default: '1000' },
    sync: { type: 'boolean', default: false },
    'sync-files': { type: 'string', default: '10000' },
    'noop-files': { type: 'string', default: '100000' },
    'rename-files': { type: 'string', default: '10000' },
    large: { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    sweep: { type: 'boolean', default: false },
    push: { type: 'boolean', default: false },
    'push-samples': { type: 'string', default: '20' },
    'push-pairs': { type: 'string', default: '5' },
    'push-idle': { type: 'string', default: '60' },
    'large-mib': { type: 'string', default: '1024' },
    'small-files': { type: 'string', default: '10000' },
    'text-mib': { type: 'string', default: '1024' },
    'huge-gib': { type: 'string', default: '20' },
    'web-mib': { type: 'string', default: '256' },
    'web-profile': { type: 'string', default: 'disk' },
    'web-large-mib': { type: 'string', default: '1024' },
  },
});

const log = (line: string) => process.stdout.write(`bench: ${line}\n`);

async function measure(name: string, s3: S3BackendName, work: (service: Service) => Promise<Table[]>): Promise<void> {
  const startedLoad = loadNow();
  const when = new Date();
  log(`starting a local runtime on ${s3}`);
  const service = await startService(s3);
  let tables: Table[];
  try {
    tables = await work(service);
  } finally {
    await service.stop();
  }
  const machine = describeMachine(join(service.workDir, '..'));
  const text = `${renderMachine(machine, s3, startedLoad, loadNow(), when)}\n\n${renderTables(tables)}`;
  process.stdout.write(`\n${text}\n`);
  writeBlock(REPORT, name, text);
  log(`written to ${REPORT} (block "${name}")`);
}

/** A block measured without a service, in a temporary folder: the CLI package, the Lambda bundles. */
async function measureAlone(name: string, label: string, work: (workDir: string) => Promise<Table[]>): Promise<void> {
  const startedLoad = loadNow();
  const when = new Date();
  const workDir = await mkdtemp(join(tmpdir(), `tote-bench-${name}-`));
  try {
    log(label);
    const tables = await work(workDir);
    const text = `${renderMachine(describeMachine(workDir), undefined, startedLoad, loadNow(), when)}\n\n${renderTables(tables)}`;
    process.stdout.write(`\n${text}\n`);
    writeBlock(REPORT, name, text);
    log(`written to ${REPORT} (block "${name}")`);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

function webProfile(value: string | undefined): WebProfile {
  if (value === 'disk' || value === 'memory') return value;
  throw new Error(`--web-profile is disk or memory, not ${value}`);
}
const measureCli = () => measureAlone('cli', 'the CLI package', cliPackage);
const measureBundles = () => measureAlone('bundles', 'Lambda bundles', async (workDir) => [await bundles(workDir)]);

const smallSpec = () => ({ count: Number(flags['small-files']), bytes: 4096, perFolder: 1_000 });
const folderSpec = () => ({ count: Number(flags['folder-files']), bytes: 4096, perFolder: 1_000 });
const syncSpec = () => ({ count: Number(flags['sync-files']), bytes: 4096, perFolder: 1_000 });
const noOpSpec = () => ({ count: Number(flags['noop-files']), bytes: 64, perFolder: 1_000 });

/** Small files through sync (first syncs up and down against the S3 baseline), a no-op pass over a large folder, a folder rename. */
async function syncTables(service: Service, concurrency: number): Promise<Table[]> {
  log('small files by a first sync up and down');
  const sync = await syncSmallFiles(service, syncSpec(), concurrency);
  log('a no-op sync pass');
  const noOp = await noOpPass(service, noOpSpec(), 3);
  log('a folder renamed on one device until another has it');
  return [sync, noOp, await folderRename(service, Number(flags['rename-files']))];
}

async function main(): Promise<void> {
  const concurrency = DEFAULT_TRANSFER_TUNING.concurrency;
  const s3: S3BackendName = cephUnavailable() ? 's3rver' : 'radosgw';
  if (flags.cli) {
    await measureCli();
    return;
  }
  if (flags.bundles) {
    await measureBundles();
    return;
  }
  if (flags.huge) {
    await measure('huge', 's3rver', async (service) => [await huge(service, Number(flags['huge-gib']) * GiB)]);
    return;
  }
  if (flags.web) {
    await measure('web', s3, async (service) => [
      await webBundle(join(__dirname, '..', 'web', 'dist')),
      await webTransfers(service, Number(flags['web-mib']) * MiB, Number(flags['web-large-mib']) * MiB, Number(flags.rounds), webProfile(flags['web-profile']), log),
    ]);
    return;
  }
  if (flags.push) {
    const spec = { samples: Number(flags['push-samples']), pairs: Number(flags['push-pairs']), idleSeconds: Number(flags['push-idle']) };
    // s3rver: what is measured is how soon B hears of a change, not storage (a note-sized file); a
    // Ceph cluster's three daemons would only take CPU from the devices being timed.
    await measure('push', 's3rver', async (service) => [await pushLatency(service, spec)]);
    return;
  }
  if (flags['folder-down']) {
    await measure('folder-down', s3, async (service) => [await folderDownload(service, folderSpec(), concurrency)]);
    return;
  }
  if (flags.sync) {
    await measure('sync', s3, (service) => syncTables(service, concurrency));
    return;
  }
  if (flags.sweep) {
    await measure('sweep', s3, async (service) => {
      const rows: string[][] = [];
      for (const c of SWEEP_CONCURRENCY) {
        log(`small files at concurrency ${c}`);
        const up = await uploadSmallFiles(service, smallSpec(), `sweep-${c}`, c, `/bench/sweep-${c}`);
        rows.push([String(c), up.filesPerSecond.toFixed(0), up.seconds.toFixed(1)]);
      }
      return [
        {
          title: `Small-file upload by concurrency (${smallSpec().count.toLocaleString('en')} files of 4 KiB each time, fresh content)`,
          columns: ['Chunk transfers in flight', 'Files per second', 'Time, s'],
          rows,
        },
      ];
    });
    return;
  }
  await measure(flags.large ? 'large' : 'results', s3, async (service) => {
    log('generating files');
    const large = await randomFile(join(service.workDir, 'large.bin'), Number(flags['large-mib']) * MiB, 1);
    const tables: Table[] = [];
    log('large file');
    tables.push(await largeFile(service, large, concurrency, Number(flags.rounds), log));
    log('the CloudFront stand-in alone');
    tables.push(await edge(service, REMOTE_PATH, concurrency, Number(flags.rounds)));
    if (flags.large) return tables;
    log('re-uploads after edits');
    tables.push(await deltas(service, large));
    log('small files');
    tables.push(await smallFiles(service, smallSpec(), concurrency));
    log('small files down by get <folder>');
    tables.push(await folderDownload(service, folderSpec(), concurrency));
    tables.push(...(await syncTables(service, concurrency)));
    log('compression');
    const text = await textFile(join(service.workDir, 'log.txt'), Number(flags['text-mib']) * MiB, 1);
    tables.push(await compression(service, text));
    return tables;
  });
  await measureBundles();
  await measureCli();
}

main().catch((error: Error) => {
  process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
  process.exitCode = 1;
});
