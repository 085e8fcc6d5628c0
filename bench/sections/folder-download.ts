/**
 * Many small files up by `tote put <folder>` and down by `tote get <folder>` (listing pages, POST
 * /download-batches per thousand, each file's content fetched, verified, staged and renamed into
 * place), once with small files in packs (the default) and once without (each file's chunk an object
 * of its own), against the plain S3 baseline on the same endpoint: one SDK PutObject/GetObject per
 * file, 16 in flight, each body written to a file.
 */
import { LIMITS } from '@contract/limits';
import { join } from 'node:path';
import { fixed, timed } from '../measure';
import type { Table } from '../report';
import type { Service } from '../service';
import { BASELINE_IN_FLIGHT, smallFilesBaseline } from './small-files-baseline';
import { countingFetch, uploadSmallFiles, type SmallFiles } from './small-files';

/** A fresh folder up with packs on or off, then down into a fresh folder by a second device. */
async function upAndDown(service: Service, spec: SmallFiles, concurrency: number, packs: boolean) {
  const name = packs ? 'packed' : 'unpacked';
  const remote = `/bench/folder-${name}`;
  const up = await uploadSmallFiles(service, spec, `folder-up-${name}`, concurrency, remote, packs);

  const counter = countingFetch(service.target.apiUrl);
  const batches: { seconds: number; status: number }[] = [];
  const timedBatches: typeof fetch = async (input, init) => {
    if (!String(input instanceof Request ? input.url : input).endsWith('/download-batches')) return counter.fetch(input, init);
    const started = performance.now();
    const res = await counter.fetch(input, init);
    batches.push({ seconds: (performance.now() - started) / 1000, status: res.status });
    return res;
  };
  const device = await service.device(`folder-down-${name}`, { concurrency, fetch: timedBatches });
  const down = await timed(() => device.client.getFolder(remote, join(service.workDir, `folder-down-${name}`)));
  if (down.value.outcomes.results.length !== spec.count) {
    throw new Error(`got ${down.value.outcomes.results.length} of ${spec.count} small files: ${down.value.outcomes.failed[0]?.message}`);
  }
  return { up, down: { seconds: down.seconds, apiRequests: counter.count(), storageRequests: counter.storage(), batches } };
}

export async function folderDownload(service: Service, spec: SmallFiles, concurrency: number): Promise<Table> {
  const packed = await upAndDown(service, spec, concurrency, true);
  const unpacked = await upAndDown(service, spec, concurrency, false);
  const baseline = await smallFilesBaseline(service, spec, 'baseline-down');
  const perSecond = (seconds: number) => fixed(spec.count / seconds, 0);
  const batchTimes = (b: { seconds: number; status: number }[]) => b.map((x) => `${x.status}, ${fixed(x.seconds)}`).join('; ');

  return {
    title: `${spec.count.toLocaleString('en')} files of ${spec.bytes / 1024} KiB up by \`tote put <folder>\` and down by \`tote get <folder>\`, with packs and without`,
    columns: [
      'Measure',
      'put, packs',
      'put, no packs',
      `S3 baseline (PutObject, ${BASELINE_IN_FLIGHT} in flight)`,
      'get, packed',
      'get, unpacked',
      `S3 baseline (GetObject, ${BASELINE_IN_FLIGHT} in flight)`,
    ],
    rows: [
      ['Files per second', fixed(packed.up.filesPerSecond, 0), fixed(unpacked.up.filesPerSecond, 0), perSecond(baseline.upSeconds), perSecond(packed.down.seconds), perSecond(unpacked.down.seconds), perSecond(baseline.downSeconds)],
      ['Time, s', fixed(packed.up.seconds), fixed(unpacked.up.seconds), fixed(baseline.upSeconds), fixed(packed.down.seconds), fixed(unpacked.down.seconds), fixed(baseline.downSeconds)],
      ['API requests', String(packed.up.apiRequests), String(unpacked.up.apiRequests), '0', String(packed.down.apiRequests), String(unpacked.down.apiRequests), '0'],
      ['Storage requests', String(packed.up.storageRequests), String(unpacked.up.storageRequests), String(spec.count), String(packed.down.storageRequests), String(unpacked.down.storageRequests), String(spec.count)],
      ['Last PUT to last commit, s', fixed(packed.up.tailSeconds), fixed(unpacked.up.tailSeconds), '-', '-', '-', '-'],
      ['POST /download-batches: status, s each', '-', '-', '-', batchTimes(packed.down.batches), batchTimes(unpacked.down.batches), '-'],
    ],
    note:
      `Up: hashed, started and committed through the batch endpoints; with packs, small files' content goes as blobs in packs of ` +
      `${LIMITS.packTargetBytes / 1024 / 1024} MiB (lambdas/README.md, "Packs"), without (\`TOTE_PACKS=off\`) each file's chunk is an object of its own. ` +
      `"Last PUT to last commit": the tracker registering what was sent and the commits waiting for it. ` +
      `Down: the folder listed a page at a time, first pages of up to ${LIMITS.batchMaxFiles} files per POST /download-batches, ` +
      `${concurrency} files in flight, each file's content fetched through the CloudFront stand-in (adjacent blobs of a pack in one ranged GET), ` +
      `verified, written to a temp file, flushed and renamed. ` +
      `Baseline: one PutObject/GetObject per file on the same S3 endpoint, body written to a file, nothing verified or flushed.`,
  };
}
