/**
 * Many small files down by `tote get <folder>` (listing pages, POST /download-batches per thousand,
 * each file's one chunk fetched, verified, staged and renamed into place), against the plain S3
 * baseline on the same endpoint: one SDK GetObject per file, 16 in flight, each body written to a file.
 */
import { LIMITS } from '@contract/limits';
import { join } from 'node:path';
import { fixed, timed } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';
import { BASELINE_IN_FLIGHT, smallFilesBaseline } from './small-files-baseline';
import { countingFetch, uploadSmallFiles, type SmallFiles } from './small-files';

export async function folderDownload(service: Service, spec: SmallFiles, concurrency: number): Promise<Table> {
  const remote = '/bench/folder-down';
  const up = await uploadSmallFiles(service, spec, 'folder-up', concurrency, remote);

  const counter = countingFetch(service.target.apiUrl);
  const batches: { seconds: number; status: number }[] = [];
  const timedBatches: typeof fetch = async (input, init) => {
    if (!String(input instanceof Request ? input.url : input).endsWith('/download-batches')) return counter.fetch(input, init);
    const started = performance.now();
    const res = await counter.fetch(input, init);
    batches.push({ seconds: (performance.now() - started) / 1000, status: res.status });
    return res;
  };
  const device = await service.device('folder-down', { concurrency, fetch: timedBatches });
  const down = await timed(() => device.client.getFolder(remote, join(service.workDir, 'folder-down')));
  if (down.value.outcomes.results.length !== spec.count) {
    throw new Error(`got ${down.value.outcomes.results.length} of ${spec.count} small files: ${down.value.outcomes.failed[0]?.message}`);
  }

  const baseline = await smallFilesBaseline(service, spec, 'baseline-down');

  return {
    title: `${spec.count.toLocaleString('en')} files of ${spec.bytes / 1024} KiB up by \`tote put <folder>\` and down by \`tote get <folder>\``,
    columns: ['Measure', 'tote put <folder>', `S3 baseline (PutObject, ${BASELINE_IN_FLIGHT} in flight)`, 'tote get <folder>', `S3 baseline (GetObject, ${BASELINE_IN_FLIGHT} in flight)`],
    rows: [
      ['Files per second', fixed(up.filesPerSecond, 0), fixed(spec.count / baseline.upSeconds, 0), fixed(spec.count / down.seconds, 0), fixed(spec.count / baseline.downSeconds, 0)],
      ['Time, s', fixed(up.seconds), fixed(baseline.upSeconds), fixed(down.seconds), fixed(baseline.downSeconds)],
      ['API requests', String(up.apiRequests), '0', String(counter.count()), '0'],
      ['Storage requests', String(up.storageRequests), String(spec.count), String(counter.storage()), String(spec.count)],
      ['POST /download-batches: status, s each', '-', '-', batches.map((b) => `${b.status}, ${fixed(b.seconds)}`).join('; '), '-'],
    ],
    note:
      `Up: small files' content in packs (lambdas/README.md, "Packs"), started and committed through the batch endpoints. ` +
      `Down: the folder listed a page at a time, first pages of up to ${LIMITS.batchMaxFiles} files per POST /download-batches, ` +
      `${concurrency} files in flight, each chunk fetched through the CloudFront stand-in, verified, written to a temp file, flushed and renamed. ` +
      `Baseline: one GetObject per file on the same S3 endpoint, body written to a file, nothing verified or flushed.`,
  };
}
