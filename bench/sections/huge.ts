/**
 * A file far larger than memory, up and down through the CLI in its own process, beside a 1 GiB one:
 * their peak resident memory (the kernel's high-water mark) shows whether the client streams, for it
 * must not grow with the file. Each file is generated as a stream and deleted once uploaded (the
 * download is checked against the hash taken while generating), so the disk holds at most two copies
 * of it at a time.
 */
import { spawn } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { buildClientPackage } from '../../client/scripts/client-package';
import { REPO_ROOT } from '../../test/integration/harness/runtime-process';
import { randomFile, sha256File } from '../files';
import { fixed, GiB, mbPerSecond, mib, watchPeakRss } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';

/**
 * The CLI as people install it (`npm run pack:client`'s bundle), not the repository's tsx launcher, which
 * compiles the sources in the same process. Built where Node finds the repository's better-sqlite3, the
 * one dependency the package leaves to npm.
 */
const PACKAGE_DIR = join(REPO_ROOT, 'node_modules', '.cache', 'tote-bench-cli');

interface CliOutcome {
  readonly seconds: number;
  readonly peakRssBytes: number;
}

/** Runs the CLI to completion, watching its peak RSS; fails unless it exits 0. */
function cli(entry: string, args: readonly string[]): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [entry, '--json', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    const peak = watchPeakRss(child.pid as number);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const peakRssBytes = peak.stop();
      if (code !== 0) return reject(new Error(`tote ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`));
      resolve({ seconds: Number(process.hrtime.bigint() - start) / 1e9, peakRssBytes });
    });
  });
}

/** Up and down through the CLI, on one device (the source is deleted before the download, so nothing is copied locally). */
async function roundTrip(service: Service, entry: string, sizeBytes: number, name: string): Promise<{ up: CliOutcome; down: CliOutcome }> {
  const free = Number(statfsSync(service.workDir).bavail) * Number(statfsSync(service.workDir).bsize);
  // The source, its stored chunks, then the stored chunks and the download: twice the size, plus room.
  if (free < 2.2 * sizeBytes) throw new Error(`${name} needs ${mib(2.2 * sizeBytes)} free in ${service.workDir}, there is ${mib(free)}`);
  const device = await service.device(name);
  device.client.close();
  const common = ['--endpoint', service.target.apiUrl, '--config-dir', device.configDir, '--state-dir', device.stateDir];
  const source = await randomFile(join(service.workDir, `${name}.bin`), sizeBytes, sizeBytes);
  const up = await cli(entry, [...common, 'put', source.path, `/bench/${name}.bin`]);
  await rm(source.path);
  const copy = join(service.workDir, `${name}-copy.bin`);
  const down = await cli(entry, [...common, 'get', `/bench/${name}.bin`, copy]);
  const intact = (await sha256File(copy)) === source.sha256;
  await rm(copy);
  if (!intact) throw new Error(`the downloaded copy of ${name} differs from the one uploaded`);
  return { up, down };
}

export async function huge(service: Service, sizeBytes: number): Promise<Table> {
  const sizes = [GiB, sizeBytes];
  const entry = join((await buildClientPackage(PACKAGE_DIR)).dir, 'tote.mjs');
  const runs = [];
  for (const size of sizes) runs.push(await roundTrip(service, entry, size, `cli-${fixed(size / GiB, 0)}gib`));
  const label = (size: number) => `${fixed(size / GiB, 0)} GiB`;
  return {
    title: `${label(sizeBytes)} of random bytes through the CLI, beside ${label(GiB)}`,
    columns: ['Measure', ...sizes.flatMap((s) => [`${label(s)} up`, `${label(s)} down`])],
    rows: [
      ['MB/s', ...runs.flatMap((r, i) => [fixed(mbPerSecond(sizes[i], r.up.seconds)), fixed(mbPerSecond(sizes[i], r.down.seconds))])],
      ['Time, s', ...runs.flatMap((r) => [fixed(r.up.seconds, 0), fixed(r.down.seconds, 0)])],
      ['Client peak RSS', ...runs.flatMap((r) => [mib(r.up.peakRssBytes), mib(r.down.peakRssBytes)])],
    ],
    note:
      `The installed CLI (\`npm run pack:client\`'s bundle, \`node tote.mjs put\` then \`get\`) on one device (the source deleted in between, so nothing is copied locally), ` +
      `default concurrency, timed from process start to exit (so including the CLI's start); peak RSS is the process's VmHWM. ` +
      `The runtime ran on ${service.s3Backend}.`,
  };
}
