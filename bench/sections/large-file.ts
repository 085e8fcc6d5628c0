/**
 * One large file of random bytes up and down, through Tote (the client library, in this process) and
 * through the SDK alone (baseline.ts) to the same S3 endpoint, in rounds (fresh content each round, so
 * nothing deduplicates) whose medians are reported, with where Tote's time went (splits.ts).
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { baselineDownload, baselineUpload, removeBaselineObject } from '../baseline';
import { randomFile, sha256File, type Generated } from '../files';
import { fixed, mbPerSecond, median, mib, timed } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';
import { downloadSplit, uploadSplit, type DownloadSplit, type UploadSplit } from '../splits';

export const REMOTE_PATH = '/bench/large.bin';

interface Round {
  readonly up: { seconds: number; cpu: number; split: UploadSplit; bytesSent: number };
  readonly down: { seconds: number; cpu: number; split: DownloadSplit };
  readonly baseUp: { seconds: number; cpu: number };
  readonly baseDown: { seconds: number; cpu: number };
}

async function round(service: Service, file: Generated, concurrency: number, n: number): Promise<Round> {
  const { s3, bucket } = await service.baselineBucket();
  const baseUp = await timed(() => baselineUpload(s3, bucket, 'large.bin', file.path, concurrency));
  const baseCopy = join(service.workDir, 'baseline-copy.bin');
  const baseDown = await timed(() => baselineDownload(s3, bucket, 'large.bin', baseCopy, file.size, concurrency));
  await removeBaselineObject(s3, bucket, 'large.bin');
  await rm(baseCopy);
  s3.destroy();

  // The first round's upload is the one the edits table builds on (same device, same remote path).
  const up = await service.device(n === 0 ? 'large-up' : `large-up-${n}`);
  const remote = n === 0 ? REMOTE_PATH : `/bench/large-${n}.bin`;
  const upFrom = up.events.length;
  const upStart = performance.now();
  const put = await timed(() => up.client.put(file.path, remote));
  const down = await service.device(`large-down-${n}`);
  const copy = join(service.workDir, 'large-copy.bin');
  const downFrom = down.events.length;
  const downStart = performance.now();
  const get = await timed(() => down.client.get(remote, copy));
  if ((await sha256File(copy)) !== file.sha256) throw new Error('the downloaded copy differs from the file uploaded');
  await rm(copy);
  return {
    up: { seconds: put.seconds, cpu: put.cpuSeconds, split: uploadSplit(up, upFrom, upStart), bytesSent: put.value.bytesSent },
    down: { seconds: get.seconds, cpu: get.cpuSeconds, split: downloadSplit(down, downFrom, downStart) },
    baseUp: { seconds: baseUp.seconds, cpu: baseUp.cpuSeconds },
    baseDown: { seconds: baseDown.seconds, cpu: baseDown.cpuSeconds },
  };
}

/** Rounds of `file` (the first) and fresh files of its size; the first file is kept for the edits that follow. */
export async function largeFile(service: Service, file: Generated, concurrency: number, rounds: number, log: (line: string) => void): Promise<Table> {
  const results: Round[] = [];
  for (let n = 0; n < rounds; n++) {
    const content = n === 0 ? file : await randomFile(join(service.workDir, `large-${n}.bin`), file.size, 1 + n);
    const r = await round(service, content, concurrency, n);
    log(`round ${n + 1}: up ${fixed(mbPerSecond(file.size, r.up.seconds))} MB/s (SDK ${fixed(mbPerSecond(file.size, r.baseUp.seconds))}), down ${fixed(mbPerSecond(file.size, r.down.seconds))} MB/s (SDK ${fixed(mbPerSecond(file.size, r.baseDown.seconds))})`);
    results.push(r);
    if (n > 0) await rm(content.path);
  }
  const m = (pick: (r: Round) => number) => median(results.map(pick));
  const rate = (pick: (r: Round) => number) => m((r) => mbPerSecond(file.size, pick(r)));
  // Rates relate inversely to times: Tote's rate over the baseline's is the baseline's time over Tote's (per round).
  const ratio = (tote: (r: Round) => number, base: (r: Round) => number) => `${fixed(100 * m((r) => base(r) / tote(r)), 0)} %`;
  const seconds = (pick: (r: Round) => number) => fixed(m(pick), 2);
  return {
    title: `${mib(file.size)} of random bytes (median of ${rounds} round${rounds === 1 ? '' : 's'})`,
    columns: ['Measure', 'Tote', 'SDK baseline, same S3', 'Tote / baseline'],
    rows: [
      ['Upload, MB/s', fixed(rate((r) => r.up.seconds)), fixed(rate((r) => r.baseUp.seconds)), ratio((r) => r.up.seconds, (r) => r.baseUp.seconds)],
      ['Download, MB/s', fixed(rate((r) => r.down.seconds)), fixed(rate((r) => r.baseDown.seconds)), ratio((r) => r.down.seconds, (r) => r.baseDown.seconds)],
      ['Upload: time, s', seconds((r) => r.up.seconds), seconds((r) => r.baseUp.seconds), ''],
      ['- read and hashed at, s', seconds((r) => r.up.split.hashedSeconds), '', ''],
      ['- last chunk stored at, s', seconds((r) => r.up.split.sentSeconds), '', ''],
      ['- commit wait (tracker), s', seconds((r) => r.up.split.commitWaitSeconds), '', ''],
      ['Download: time, s', seconds((r) => r.down.seconds), seconds((r) => r.baseDown.seconds), ''],
      ['- first chunk in place at, s', seconds((r) => r.down.split.firstChunkSeconds), '', ''],
      ['- last chunk in place at, s', seconds((r) => r.down.split.lastChunkSeconds), '', ''],
      ['- verify, flush, rename, s', seconds((r) => r.down.split.verifySeconds), '', ''],
      ['Upload: client CPU, s', fixed(m((r) => r.up.cpu)), fixed(m((r) => r.baseUp.cpu)), ''],
      ['Download: client CPU, s', fixed(m((r) => r.down.cpu)), fixed(m((r) => r.baseDown.cpu)), ''],
      ['Upload: bytes sent', mib(m((r) => r.up.bytesSent)), mib(file.size), ''],
    ],
    note:
      `Tote: \`put\` then \`get\` on another device (fresh state, nothing to reuse), ${concurrency} transfers in flight. The upload ` +
      'reads the file once, hashing and sending at the same time, then commits (waiting for the tracker to verify the last ' +
      'chunks); the download verifies every chunk as it streams in and the whole file by its content hash, then flushes and ' +
      'renames. The split times count from the start of each transfer. Baseline: @aws-sdk/lib-storage multipart upload ' +
      `and ranged GETs of 5 MiB parts, ${concurrency} in flight, nothing verified. Each round uploads fresh random bytes.`,
  };
}
