/**
 * Downloads many files with one API round trip per thousand instead of one each: POST
 * /download-batches brings every file's first manifest page (all of a small file), and each file then
 * goes through the one-file engine (download.ts) with that page, on a bounded pool of files in flight.
 * The next batch is asked for while the last files of this one are still transferring, so the pool
 * never drains at a batch's end. A file the service refuses (not found, no access) or whose transfer
 * fails on its own is recorded in the outcomes and the others go on (outcomes.ts). Files a request ran
 * out of time for (BATCH_DEFERRED) are asked for again in the next request.
 */
import { LIMITS } from '@contract/limits';
import type { DownloadBatchItem, DownloadBatchResponse, DownloadResponse } from '@contract/schemas';
import { throwIfCancelled, ToteError } from '../errors';
import type { TransferEnvironment } from './environment';
import { batchItemFailure, type FileOutcomes } from './outcomes';
import { TaskGroup } from './parallel';

export interface BatchDownload<R> {
  /** Names the file in failures (where it was going: a local path, a file name). */
  readonly label: string;
  readonly ref: DownloadBatchItem;
  /** Downloads the file from the first page the batch brought (downloadInto with `firstPage`). */
  run(firstPage: DownloadResponse): Promise<R>;
}

type DownloadBatchResult = DownloadBatchResponse['results'][number];

const isDeferred = (result: DownloadBatchResult): boolean => !result.ok && result.error.code === 'BATCH_DEFERRED';

export class DownloadBatches<R> {
  private readonly running: TaskGroup;

  constructor(
    private readonly env: Pick<TransferEnvironment, 'api' | 'concurrency'>,
    private readonly outcomes: FileOutcomes<R>,
    private readonly signal?: AbortSignal,
  ) {
    this.running = new TaskGroup(env.concurrency);
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
    if (results.length !== group.length) {
      throw new ToteError('UNEXPECTED_RESPONSE', `the service answered ${results.length} results for a batch of ${group.length} files`);
    }
    const deferred = group.filter((_, i) => isDeferred(results[i]!));
    const progressed = deferred.length < group.length;
    for (const [i, result] of results.entries()) {
      const file = group[i]!;
      if (!result.ok) {
        if (!(progressed && isDeferred(result))) this.outcomes.fail(file.label, batchItemFailure(result.error));
        continue;
      }
      this.running.add(async () => {
        const done = await this.outcomes.perFile(file.label, () => file.run(result.download));
        if (done !== undefined) this.outcomes.succeed(done);
      });
      // Backpressure: a batch's files wait here, not as a thousand queued tasks holding their pages.
      while (this.running.size > this.env.concurrency) await this.running.settledOne();
    }
    return progressed ? deferred : [];
  }

  /** Waits for every transfer started; throws the first error that concerned them all (network, authentication). */
  finish(): Promise<void> {
    return this.running.drained();
  }
}
