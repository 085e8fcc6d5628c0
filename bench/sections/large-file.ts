/**
 * One large file of random bytes up and down, through Tote (the client library, in this process) and
 * through the SDK alone (baseline.ts) to the same S3 endpoint.
 */
import { join } from 'node:path';
import { baselineDownload, baselineUpload, removeBaselineObject } from '../baseline';
import { sha256File, type Generated } from '../files';
import { fixed, mbPerSecond, mib, timed } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';

export const REMOTE_PATH = '/bench/large.bin';

export async function largeFile(service: Service, file: Generated, concurrency: number): Promise<Table> {
  const { s3, bucket } = await service.baselineBucket();
  const baseUp = await timed(() => baselineUpload(s3, bucket, 'large.bin', file.path, concurrency));
  const baseDown = await timed(() => baselineDownload(s3, bucket, 'large.bin', join(service.workDir, 'baseline-copy.bin'), file.size, concurrency));
  await removeBaselineObject(s3, bucket, 'large.bin');
  s3.destroy();

  const up = await service.device('large-up');
  const put = await timed(() => up.client.put(file.path, REMOTE_PATH));
  const down = await service.device('large-down');
  const copy = join(service.workDir, 'large-copy.bin');
  const get = await timed(() => down.client.get(REMOTE_PATH, copy));
  if ((await sha256File(copy)) !== file.sha256) throw new Error('the downloaded copy differs from the file uploaded');

  const row = (what: string, tote: number, base: number) => [what, fixed(tote), fixed(base), `${fixed((100 * tote) / base, 0)} %`];
  return {
    title: `${mib(file.size)} of random bytes`,
    columns: ['Measure', 'Tote', 'SDK baseline, same S3', 'Tote / baseline'],
    rows: [
      row('Upload, MB/s', mbPerSecond(file.size, put.seconds), mbPerSecond(file.size, baseUp.seconds)),
      row('Download, MB/s', mbPerSecond(file.size, get.seconds), mbPerSecond(file.size, baseDown.seconds)),
      ['Upload: client CPU, s', fixed(put.cpuSeconds), fixed(baseUp.cpuSeconds), ''],
      ['Download: client CPU, s', fixed(get.cpuSeconds), fixed(baseDown.cpuSeconds), ''],
      ['Upload: bytes sent', mib(put.value.bytesSent), mib(file.size), ''],
    ],
    note:
      `Tote: \`put\` then \`get\` on another device (fresh state, nothing to reuse), ${concurrency} transfers in flight; the upload includes ` +
      `hashing (pass 1), the commit and its wait for the tracker; the download includes verifying every chunk and the whole file. ` +
      `Baseline: @aws-sdk/lib-storage multipart upload and ranged GETs of 5 MiB parts, ${concurrency} in flight, nothing verified.`,
  };
}
