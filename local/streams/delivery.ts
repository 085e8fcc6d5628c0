/**
 * Hands one batch of stream records to a function the way an event source mapping does: a
 * synchronous invocation; on failure the batch is split in two (bisect) or tried again after a
 * delay, until it succeeds, runs out of retries, or its oldest record is older than the mapping's
 * maximum record age; then the failure is reported (where AWS sends it to the on-failure destination)
 * and the shard moves on. The shard waits meanwhile: records of a shard are delivered in order.
 */
import type { FunctionPool, InvokeResult } from '../lambda/function-pool';
import { sleepUnless } from '../process/wait';
import { recordTime, type LambdaStreamRecord } from './records';

export type Failure = Extract<InvokeResult, { ok: false }>;

export interface DeliveryOptions {
  readonly pool: FunctionPool;
  /** Retries after the first attempt; -1: no limit but the record age. */
  readonly maxRetries: number;
  readonly bisectOnError: boolean;
  /** -1: no limit. */
  readonly maxRecordAgeSeconds: number;
  readonly delaysMs: readonly number[];
  readonly signal: AbortSignal;
  readonly onFailure: (records: readonly LambdaStreamRecord[], failure: Failure, attempts: number) => void;
  readonly now?: () => number;
}

export async function deliverBatch(records: readonly LambdaStreamRecord[], opts: DeliveryOptions): Promise<void> {
  const now = opts.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    if (opts.signal.aborted) return;
    const result = await opts.pool
      .invoke({ Records: records })
      .catch((err: Error): InvokeResult => ({ ok: false, errorType: 'Runtime.Unavailable', errorMessage: err.message }));
    if (result.ok || opts.signal.aborted) return;
    if (opts.bisectOnError && records.length > 1) {
      const half = Math.ceil(records.length / 2);
      await deliverBatch(records.slice(0, half), opts);
      await deliverBatch(records.slice(half), opts);
      return;
    }
    const oldest = Math.min(...records.map((r) => recordTime(r) ?? Infinity));
    const tooOld = opts.maxRecordAgeSeconds >= 0 && now() / 1000 - oldest > opts.maxRecordAgeSeconds;
    if (tooOld || (opts.maxRetries >= 0 && attempt > opts.maxRetries)) return opts.onFailure(records, result, attempt);
    await sleepUnless(opts.delaysMs[Math.min(attempt - 1, opts.delaysMs.length - 1)], opts.signal);
  }
}
