/**
 * Downloads many files with one API round trip per thousand instead of one each: POST
 * /download-batches brings every file's first manifest page (all of a small file), and each file then
 * goes through the one-file engine (download.ts) with that page, on a bounded pool of files in flight.
 * The next batch is asked for while the last files of this one are still transferring, so the pool
 * never drains at a batch's end. A file the service refuses (not found, no access) or whose transfer
 * fails on its own is recorded in the outcomes and the others go on (outcomes.ts). Files a request ran
 * out of time for (BATCH_DEFERRED) are asked for again in the next request. Blobs of the batch that lie
 * side by side in one pack are read with one ranged GET of their run (pack-ranges.ts), and the files
 * start in the order of their place in storage, so each run is read once and let go soon.
 */
import { LIMITS } from '@contract/limits';
import type { DownloadBatchItem, DownloadBatchResponse, DownloadResponse } from '@contract/schemas';
import { throwIfCancelled } from '../errors';
import type { Fetch } from '../api/http';
import { toAskAgain } from './deferrals';
import type { TransferEnvironment } from './environment';
import { batchItemFailure, type FileOutcomes } from './outcomes';
import { PackRanges } from './pack-ranges';
import { TaskGroup } from './parallel';

export interface BatchDownload<R> {
  /** Names the file in failures (where it was going: a local path, a file name). */
  readonly label: string;
  readonly ref: DownloadBatchItem;
  /**
   * Downloads the file from the first page the batch brought (downloadInto with `firstPage`), reading
   * storage through `storage`, which answers blobs of a pack from the batch's coalesced reads.
   */
  run(firstPage: DownloadResponse, storage: Fetch): Promise<R>;
}

type DownloadBatchResult = DownloadBatchResponse['results'][number];

export class DownloadBatches<R> {
  private readonly running: TaskGroup;
  private readonly ranges: PackRanges;

  constructor(
    private readonly env: Pick<TransferEnvironment, 'api' | 'concurrency' | 'fetch'>,
    private readonly outcomes: FileOutcomes<R>,
    private readonly signal?: AbortSignal,
  ) {
    this.running = new TaskGroup(env.concurrency);
    this.ranges = new PackRanges(env.fetch);
  }

  /** Ranged GETs that each read several blobs of a pack at once. */
  get coalescedReads(): number {
    return this.ranges.spanRequests;
  }

  /** Asks for the first pages of `files` (any number: a request per thousand) and starts their transfers; resolves once they are all under way. */
  async add(files: readonly BatchDownload<R>[]): Promise<void> {
    for (let at = 0; at < files.length && !this.running.failed; at += LIMITS.batchMaxFiles) {
      let group = files.slice(at, at + LIMITS.batchMaxFiles);
      // Files the service had no time for (BATCH_DEFERRED) are asked for again, as long as each answer gets some done.
      while (group.length > 0) group = await this.ask(group);
    }
  }

  /** One request for `group`; starts the files answered and returns those deferred, to ask again. */
  private async ask(group: readonly BatchDownload<R>[]): Promise<BatchDownload<R>[]> {
    throwIfCancelled(this.signal);
    const { results } = await this.env.api.call('downloadBatch', { body: { files: group.map((f) => f.ref) } });
    const again = toAskAgain(results, group.length);
    this.ranges.plan(results.flatMap((r) => (r.ok ? r.download.chunks : [])));
    for (const i of inStorageOrder(results)) {
      const result = results[i]!;
      const file = group[i]!;
      if (!result.ok) {
        if (!again.has(i)) this.outcomes.fail(file.label, batchItemFailure(result.error));
        continue;
      }
      this.running.add(async () => {
        const done = await this.outcomes.perFile(file.label, () => file.run(result.download, this.ranges.fetch));
        if (done !== undefined) this.outcomes.succeed(done);
      });
      // Backpressure: a batch's files wait here, not as a thousand queued tasks holding their pages.
      while (this.running.size > this.env.concurrency) await this.running.settledOne();
    }
    return group.filter((_, i) => again.has(i));
  }

  /** Waits for every transfer started; throws the first error that concerned them all (network, authentication). */
  finish(): Promise<void> {
    return this.running.drained();
  }
}

/** The results' indices, files whose first chunk is a packed blob ordered by pack and place in it, the others after them as they came. */
function inStorageOrder(results: readonly DownloadBatchResult[]): number[] {
  const placeOf = (r: DownloadBatchResult) => {
    const first = r.ok ? r.download.chunks[0] : undefined;
    return first?.range === undefined ? undefined : { url: first.url, offset: first.range.offset };
  };
  const places = results.map(placeOf);
  return results
    .map((_, i) => i)
    .sort((a, b) => {
      const pa = places[a];
      const pb = places[b];
      if (pa === undefined || pb === undefined) return (pa === undefined ? 1 : 0) - (pb === undefined ? 1 : 0) || a - b;
      return pa.url < pb.url ? -1 : pa.url > pb.url ? 1 : pa.offset - pb.offset;
    });
}
