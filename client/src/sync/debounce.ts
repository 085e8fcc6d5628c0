/**
 * Batches change notices: a batch is handed on once no notice came for a quiet period (a save is
 * usually a burst of events), but never later than a maximum wait after its first notice (a file
 * written for minutes must not starve everything else).
 */
export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

const REAL_TIMERS: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => Date.now(),
};

export class Debouncer<T> {
  private batch = new Set<T>();
  private firstAt = 0;
  private timer: unknown;

  constructor(
    private readonly quietMs: number,
    private readonly maxWaitMs: number,
    private readonly flush: (batch: ReadonlySet<T>) => void,
    private readonly timers: Timers = REAL_TIMERS,
  ) {}

  add(item: T): void {
    const now = this.timers.now();
    if (this.batch.size === 0) this.firstAt = now;
    this.batch.add(item);
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    const due = Math.min(now + this.quietMs, this.firstAt + this.maxWaitMs);
    this.timer = this.timers.setTimeout(() => this.fire(), Math.max(0, due - now));
  }

  close(): void {
    if (this.timer !== undefined) this.timers.clearTimeout(this.timer);
    this.timer = undefined;
    this.batch = new Set();
  }

  private fire(): void {
    this.timer = undefined;
    const batch = this.batch;
    this.batch = new Set();
    if (batch.size > 0) this.flush(batch);
  }
}
