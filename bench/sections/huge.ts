/**
 * A file far larger than memory, up and down through the CLI in its own process, whose peak resident
 * memory (the kernel's high-water mark) shows whether the client streams: it must not grow with the
 * file. The file is generated as a stream and deleted once uploaded (the download is checked against
 * the hash taken while generating), so the disk holds at most two copies at a time.
 */
import { spawn } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomFile, sha256File } from '../files';
import { fixed, GiB, mbPerSecond, mib, watchPeakRss } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';

const LAUNCHER = join(__dirname, '..', '..', 'client', 'bin', 'tote.cjs');

interface CliOutcome {
  readonly seconds: number;
  readonly peakRssBytes: number;
}

/** Runs the CLI to completion, watching its peak RSS; fails unless it exits 0. */
function cli(args: readonly string[]): Promise<CliOutcome> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, [LAUNCHER, '--json', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
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

export async function huge(service: Service, sizeBytes: number): Promise<Table> {
  const free = Number(statfsSync(service.workDir).bavail) * Number(statfsSync(service.workDir).bsize);
  // The source, its stored chunks, then the stored chunks and the download: twice the size, plus room.
  if (free < 2.2 * sizeBytes) throw new Error(`--huge needs ${mib(2.2 * sizeBytes)} free in ${service.workDir}, there is ${mib(free)}`);
  const device = await service.device('huge');
  device.client.close();
  const common = ['--endpoint', service.target.apiUrl, '--config-dir', device.configDir, '--state-dir', device.stateDir];

  const source = await randomFile(join(service.workDir, 'huge.bin'), sizeBytes, 20);
  const up = await cli([...common, 'put', source.path, '/bench/huge.bin']);
  await rm(source.path);
  const copy = join(service.workDir, 'huge-copy.bin');
  const down = await cli([...common, 'get', '/bench/huge.bin', copy]);
  const intact = (await sha256File(copy)) === source.sha256;
  await rm(copy);
  if (!intact) throw new Error('the downloaded copy of the huge file differs from the one uploaded');

  return {
    title: `${fixed(sizeBytes / GiB, 0)} GiB of random bytes through the CLI`,
    columns: ['Measure', 'Upload', 'Download'],
    rows: [
      ['MB/s', fixed(mbPerSecond(sizeBytes, up.seconds)), fixed(mbPerSecond(sizeBytes, down.seconds))],
      ['Time, s', fixed(up.seconds, 0), fixed(down.seconds, 0)],
      ['Client peak RSS', mib(up.peakRssBytes), mib(down.peakRssBytes)],
    ],
    note:
      `\`node client/bin/tote.cjs put\` then \`get\` (another state dir's worth of nothing to reuse: the source was deleted), default ` +
      `concurrency, timed from process start to exit; peak RSS is the process's VmHWM. The runtime ran on ${service.s3Backend}.`,
  };
}
