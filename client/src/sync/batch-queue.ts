/**
 * What sync's batched transfers share (batched-transfers.ts): a queue that groups the items ready at
 * about the same time into batches, and each item's own outcome out of a batch. The scheduler starts
 * every operation that may run as soon as what it depends on is done, so a plan's small transfers
 * arrive within milliseconds of each other: the queue sends a batch once it is full, or once nothing
 * more has arrived for a moment (so a lone edit is not held back), one batch at a time; what arrives
 * meanwhile makes the next batch.
 */
import { LIMITS } from '@contract/limits';
import { isGlobalError, toToteError, ToteError } from '../core/errors';
import { FileOutcomes } from '../core/transfer/outcomes';

export interface BatchTiming {
  /** Items per batch at most. */
  readonly max: number;
  /** A batch goes once nothing more arrived for this long... */
  readonly quietMs: number;
  /** ...or once its first item has waited this long. */
  readonly maxWaitMs: number;
}

export const DEFAULT_BATCH_TIMING: BatchTiming = { max: LIMITS.batchMaxFiles, quietMs: 15, maxWaitMs: 150 };

export class BatchQueue<I> {
  private pending: I[] = [];
  private firstAt = 0;
  private timer?: ReturnType<typeof setTimeout>;
  private sending = false;

  constructor(
    /** Sends one batch; resolves when the next one may go (it settles its items itself, and never throws). */
    private readonly send: (batch: I[]) => Promise<void>,
    private readonly timing: BatchTiming = DEFAULT_BATCH_TIMING,
  ) {}

  push(item: I): void {
    if (this.pending.length === 0) this.firstAt = Date.now();
    this.pending.push(item);
    this.arm();
  }

  private arm(): void {
    if (this.sending || this.pending.length === 0) return;
    clearTimeout(this.timer);
    const waited = Date.now() - this.firstAt;
    if (this.pending.length >= this.timing.max || waited >= this.timing.maxWaitMs) return void this.flush();
    this.timer = setTimeout(() => void this.flush(), Math.min(this.timing.quietMs, this.timing.maxWaitMs - waited));
  }

  private async flush(): Promise<void> {
    clearTimeout(this.timer);
    if (this.sending || this.pending.length === 0) return;
    this.sending = true;
    const batch = this.pending.splice(0, this.timing.max);
    this.firstAt = Date.now();
    try {
      await this.send(batch);
    } finally {
      this.sending = false;
      this.arm();
    }
  }
}

/** Each item's outcome, by the name it goes by in its batch (a local path), until it is settled. */
export class Settlements<R> {
  private readonly waiting = new Map<string, { resolve: (r: R) => void; reject: (e: unknown) => void }>();

  /** The outcome of the item named `key`; one item per name at a time (throws for a second, which must not join a batch). */
  expect(key: string): Promise<R> {
    if (this.waiting.has(key)) throw new ToteError('UNEXPECTED', `${key} is already in a batch`, { subject: key });
    return new Promise<R>((resolve, reject) => this.waiting.set(key, { resolve, reject }));
  }

  resolve(key: string, result: R): void {
    this.waiting.get(key)?.resolve(result);
    this.waiting.delete(key);
  }

  reject(key: string, error: unknown): void {
    this.waiting.get(key)?.reject(error);
    this.waiting.delete(key);
  }

  /** After a batch ended: its items not settled by then get `error` (by default: the batch told nothing of them). */
  rejectLeft(keys: readonly string[], error?: unknown): void {
    for (const key of keys) {
      if (this.waiting.has(key)) this.reject(key, error ?? new ToteError('UNEXPECTED_RESPONSE', 'the batch ended without an outcome for this file', { subject: key }));
    }
  }
}

/** A batch's per-file outcomes handed to their waiters (nothing kept, no warnings: the sync engine reports each operation). */
export class SettledOutcomes<R> extends FileOutcomes<R> {
  constructor(
    private readonly settlements: Settlements<R>,
    private readonly keyOf: (result: R) => string,
  ) {
    super(() => undefined);
  }

  override succeed(result: R): void {
    this.settlements.resolve(this.keyOf(result), result);
  }

  override fail(key: string, thrown: unknown): void {
    const error = toToteError(thrown);
    // As for any batch: an error that concerns every file stops it (its files get it when the batch ends).
    if (isGlobalError(error)) throw error;
    this.settlements.reject(key, error);
  }
}
