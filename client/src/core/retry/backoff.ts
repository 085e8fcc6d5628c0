/**
 * Retry timing: exponential backoff with full jitter (the delay is uniform in [0, min(cap, base·2^n)]),
 * which spreads many clients' retries out instead of synchronizing them. Which errors are retried,
 * and how patiently, is one table keyed by error code.
 */
import type { ToteErrorCode } from '../errors';

export interface BackoffShape {
  readonly baseMs: number;
  readonly capMs: number;
}

/** Delay before retry number `attempt` (0 = the first retry). `random` returns [0, 1). */
export function backoffDelay(attempt: number, shape: BackoffShape, random: () => number = Math.random): number {
  const ceiling = Math.min(shape.capMs, shape.baseMs * 2 ** Math.max(0, attempt));
  return Math.floor(random() * ceiling);
}

/** Transient failures and how to space retries of them; codes not listed are not retried. */
export const RETRY_BACKOFF: Partial<Record<ToteErrorCode, BackoffShape>> = {
  NETWORK: { baseMs: 250, capMs: 10_000 },
  UNAVAILABLE: { baseMs: 500, capMs: 15_000 },
  INTERNAL: { baseMs: 500, capMs: 15_000 },
  THROTTLED: { baseMs: 1_000, capMs: 30_000 },
  /** Bytes that arrived wrong were damaged on the way; storage itself holds only verified chunks. */
  CHUNK_CORRUPT: { baseMs: 250, capMs: 5_000 },
};

/** How long to wait before retrying a failure with `code`, or undefined when it is not transient. */
export function retryDelayFor(code: ToteErrorCode, attempt: number, random: () => number = Math.random): number | undefined {
  const shape = RETRY_BACKOFF[code];
  return shape === undefined ? undefined : backoffDelay(attempt, shape, random);
}
