/**
 * Asynchronous invocation as Lambda does it for S3 events: the caller does not wait, and a failed
 * attempt is retried (by default twice) after a delay. AWS waits about one and then two minutes;
 * locally the delays are seconds so a developer sees the outcome while watching.
 */
import { sleepUnless } from '../process/wait';
import type { FunctionPool, InvokeResult } from './function-pool';

export interface AsyncInvokeOptions {
  readonly retries: number;
  readonly delaysMs: readonly number[];
  /** Called once the last attempt failed (where AWS would hand the event to an on-failure destination). */
  readonly onFailure: (failure: Extract<InvokeResult, { ok: false }>, attempts: number) => void;
  /** Aborted when the runtime stops: pending retries are dropped. */
  readonly signal: AbortSignal;
}

export const LOCAL_RETRY_DELAYS_MS = [1_000, 2_000];

export function invokeAsync(pool: FunctionPool, event: unknown, opts: AsyncInvokeOptions): Promise<void> {
  const attempt = async (n: number): Promise<void> => {
    if (opts.signal.aborted) return;
    const result = await pool.invoke(event).catch(
      (err: Error): InvokeResult => ({ ok: false, errorType: 'Runtime.Unavailable', errorMessage: err.message }),
    );
    if (result.ok || opts.signal.aborted) return;
    if (n > opts.retries) return opts.onFailure(result, n);
    const delay = opts.delaysMs[Math.min(n - 1, opts.delaysMs.length - 1)];
    await sleepUnless(delay, opts.signal);
    return attempt(n + 1);
  };
  return attempt(1);
}
