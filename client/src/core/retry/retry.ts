/** Runs an operation again after transient failures, waiting as retry/backoff says. */
import { toToteError, type ToteError } from '../errors';
import { retryDelayFor } from './backoff';

export interface RetryOptions {
  /** Total tries, the first included. */
  readonly attempts: number;
  /** Told about every retry before its wait (the engines turn this into an event). */
  readonly onRetry?: (error: ToteError, attempt: number, delayMs: number) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export async function withRetry<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (thrown) {
      const error = toToteError(thrown);
      const delay = attempt + 1 < options.attempts ? retryDelayFor(error.code, attempt, options.random) : undefined;
      if (delay === undefined) throw error;
      options.onRetry?.(error, attempt + 1, delay);
      await (options.sleep ?? sleep)(delay);
    }
  }
}
