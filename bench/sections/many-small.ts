/**
 * Many small files every way Tote moves them, against the plain S3 baseline on the same endpoint (one
 * SDK PutObject/GetObject per file, 16 in flight): up by `tote put <folder>` and by a first `tote sync
 * --once`, down by `tote get <folder>` and by a second device's first `tote sync --once`. Each way
 * gets fresh content, so nothing is deduplicated against an earlier one.
 */
import { LIMITS } from '@contract/limits';
import { DEFAULT_TRANSFER_TUNING } from '../../client/src/core/transfer/environment';
import { join } from 'node:path';
import { fixed, timed } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';
import { BASELINE_IN_FLIGHT, smallFilesBaseline } from './small-files-baseline';
import { countingFetch, uploadSmallFiles, writeSmallFiles, type SmallFiles } from './small-files';
import { firstSync } from './sync-small';

interface Way {
  readonly seconds: number;
  readonly apiRequests: number;
  readonly storageRequests: number;
}

export async function manySmallFiles(service: Service, spec: SmallFiles, concurrency: number, log: (line: string) => void): Promise<Table> {
  log(`${spec.count} small files up by tote put <folder>`);
  const put = await uploadSmallFiles(service, spec, 'put-up', concurrency, '/bench/put');
  log('down by tote get <folder>');
  const get = await downloadFolder(service, '/bench/put', 'get-down', concurrency, spec);
  log('up by a first tote sync --once');
  const syncRoot = join(service.workDir, 'sync-up');
  writeSmallFiles(syncRoot, spec);
  const syncUp = await firstSync(service, 'sync-up', syncRoot, '/bench/sync', spec, concurrency);
  log('down by a second device\'s first tote sync --once');
  const syncDown = await firstSync(service, 'sync-down', join(service.workDir, 'sync-down'), '/bench/sync', spec, concurrency);
  log('the S3 baseline');
  const baseline = await smallFilesBaseline(service, spec, 'baseline');

  const perSecond = (seconds: number) => spec.count / seconds;
  const ways = [put, syncUp, get, syncDown];
  const vs = (way: Way, baselineSeconds: number) => `${fixed((100 * perSecond(way.seconds)) / perSecond(baselineSeconds), 0)} %`;
  return {
    title: `${spec.count.toLocaleString('en')} files of ${spec.bytes / 1024} KiB up and down, each way against the S3 baseline`,
    columns: [
      'Measure',
      '`tote put <folder>`',
      'first `tote sync --once` up',
      `S3 PutObject (${BASELINE_IN_FLIGHT} in flight)`,
      '`tote get <folder>`',
      'second device\'s first `tote sync --once`',
      `S3 GetObject (${BASELINE_IN_FLIGHT} in flight)`,
    ],
    rows: [
      ['Files per second', ...[put, syncUp].map((w) => fixed(perSecond(w.seconds), 0)), fixed(perSecond(baseline.upSeconds), 0), ...[get, syncDown].map((w) => fixed(perSecond(w.seconds), 0)), fixed(perSecond(baseline.downSeconds), 0)],
      ['Against the baseline', vs(put, baseline.upSeconds), vs(syncUp, baseline.upSeconds), '100 %', vs(get, baseline.downSeconds), vs(syncDown, baseline.downSeconds), '100 %'],
      ['Time, s', ...[put, syncUp].map((w) => fixed(w.seconds)), fixed(baseline.upSeconds), ...[get, syncDown].map((w) => fixed(w.seconds)), fixed(baseline.downSeconds)],
      ['API requests', ...[put, syncUp].map((w) => String(w.apiRequests)), '0', ...[get, syncDown].map((w) => String(w.apiRequests)), '0'],
      ['Storage requests', ...[put, syncUp].map((w) => String(w.storageRequests)), String(spec.count), ...[get, syncDown].map((w) => String(w.storageRequests)), String(spec.count)],
    ],
    note:
      `${Math.ceil(spec.count / spec.perFolder)} folder(s) of up to ${spec.perFolder} files, random content (no two files share a chunk), fresh for each way up; ` +
      `${concurrency} transfers in flight (the CLI's default). Up: hashed, started and committed through the batch endpoints (up to ` +
      `${LIMITS.batchMaxFiles} files a request), ${DEFAULT_TRANSFER_TUNING.packs ? 'small files\' content in packs (lambdas/README.md, "Packs")' : 'each file\'s chunk an object of its own (packs off)'}. Down: first pages of up to ` +
      `${LIMITS.batchMaxFiles} files per POST /download-batches, ${DEFAULT_TRANSFER_TUNING.packs ? 'blobs side by side in a pack read with one ranged GET' : 'each chunk read with its own GET'} through the ` +
      'CloudFront stand-in, every file verified, written to a temp file, flushed and renamed into place. Sync: the engine\'s own first ' +
      'pass (SyncEngine.syncOnce, what `tote sync --once` runs), to an empty folder on the second device. Baseline: the SDK alone, ' +
      `nothing hashed, verified or flushed. ${ways.length} ways, one run each.`,
  };
}

/** `tote get <folder>` of `remote` into a fresh folder on a new device. */
async function downloadFolder(service: Service, remote: string, name: string, concurrency: number, spec: SmallFiles): Promise<Way> {
  const counter = countingFetch(service.target.apiUrl);
  const device = await service.device(name, { concurrency, fetch: counter.fetch });
  const down = await timed(() => device.client.getFolder(remote, join(service.workDir, name)));
  if (down.value.outcomes.results.length !== spec.count) {
    throw new Error(`got ${down.value.outcomes.results.length} of ${spec.count} small files: ${down.value.outcomes.failed[0]?.message}`);
  }
  return { seconds: down.seconds, apiRequests: counter.count(), storageRequests: counter.storage() };
}
