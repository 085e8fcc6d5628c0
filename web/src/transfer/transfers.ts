/**
 * Every transfer of this tab, as the UI shows it: per file and in total, bytes done, rate over the
 * last seconds, time left, cancel, and the error with its code. Work runs through `start`, which gives
 * each transfer a progress reporter and an abort signal; the engines in this folder do the work.
 */
import type { ApiClient } from '../api/client';
import { asWebError, type WebError } from '../errors';

export type TransferKind = 'upload' | 'download';
export type TransferStatus = 'queued' | 'preparing' | 'sending' | 'finishing' | 'done' | 'failed' | 'cancelled';

export interface TransferView {
  readonly id: number;
  readonly kind: TransferKind;
  readonly name: string;
  readonly totalBytes: number;
  readonly doneBytes: number;
  readonly status: TransferStatus;
  /** Bytes per second over the last few seconds. */
  readonly rate: number;
  readonly etaSeconds?: number;
  readonly error?: WebError;
  /** What the engine said at the end, e.g. "3 of 16 chunks sent". */
  readonly summary?: string;
}

export interface Progress {
  phase(status: 'preparing' | 'sending' | 'finishing'): void;
  /** Bytes done so far in this transfer (sent, skipped as already stored, or written). */
  done(bytes: number): void;
}

export type TransferWork = (progress: Progress, signal: AbortSignal) => Promise<string | void>;

const RATE_WINDOW_MS = 5_000;
/** Transfers running at once; the rest wait, so a dropped folder of 500 files does not open 500 streams. */
const PARALLEL_FILES = 3;

interface Entry {
  view: TransferView;
  samples: { at: number; bytes: number }[];
  controller: AbortController;
  work: TransferWork;
  resolve: (view: TransferView) => void;
}

export class Transfers {
  private readonly entries = new Map<number, Entry>();
  private readonly waiting: Entry[] = [];
  private readonly listeners = new Set<() => void>();
  private nextId = 1;
  private running = 0;
  private notifyScheduled = false;

  constructor(readonly api: ApiClient) {}

  start(kind: TransferKind, name: string, totalBytes: number, work: TransferWork): Promise<TransferView> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      const entry: Entry = {
        view: { id, kind, name, totalBytes, doneBytes: 0, status: 'queued', rate: 0 },
        samples: [],
        controller: new AbortController(),
        work,
        resolve,
      };
      this.entries.set(id, entry);
      this.waiting.push(entry);
      this.notify();
      this.pump();
    });
  }

  cancel(id: number): void {
    const entry = this.entries.get(id);
    if (!entry || isFinished(entry.view.status)) return;
    entry.controller.abort();
    const queued = this.waiting.indexOf(entry);
    if (queued >= 0) {
      this.waiting.splice(queued, 1);
      entry.resolve(this.finish(entry, { status: 'cancelled' }));
    }
  }

  cancelAll(): void {
    for (const id of this.entries.keys()) this.cancel(id);
  }

  /** Forgets finished transfers (done, failed, cancelled). */
  clearFinished(): void {
    for (const [id, entry] of this.entries) if (isFinished(entry.view.status)) this.entries.delete(id);
    this.notify();
  }

  list(): TransferView[] {
    return [...this.entries.values()].map((e) => e.view);
  }

  /** Totals over the transfers still running or waiting. */
  totals(): { totalBytes: number; doneBytes: number; rate: number; etaSeconds?: number; active: number } {
    const active = this.list().filter((v) => !isFinished(v.status));
    const totalBytes = active.reduce((s, v) => s + v.totalBytes, 0);
    const doneBytes = active.reduce((s, v) => s + v.doneBytes, 0);
    const rate = active.reduce((s, v) => s + v.rate, 0);
    return { totalBytes, doneBytes, rate, etaSeconds: rate > 0 ? (totalBytes - doneBytes) / rate : undefined, active: active.length };
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private pump(): void {
    while (this.running < PARALLEL_FILES && this.waiting.length > 0) {
      const entry = this.waiting.shift() as Entry;
      this.running++;
      void this.run(entry).then((view) => {
        this.running--;
        entry.resolve(view);
        this.pump();
      });
    }
  }

  private async run(entry: Entry): Promise<TransferView> {
    const progress: Progress = {
      phase: (status) => this.update(entry, { status }),
      done: (bytes) => this.sample(entry, bytes),
    };
    try {
      this.update(entry, { status: 'preparing' });
      const summary = await entry.work(progress, entry.controller.signal);
      return this.finish(entry, { status: 'done', doneBytes: entry.view.totalBytes, summary: summary || undefined });
    } catch (thrown) {
      const error = asWebError(thrown);
      const cancelled = entry.controller.signal.aborted || error.code === 'CANCELLED';
      return this.finish(entry, cancelled ? { status: 'cancelled' } : { status: 'failed', error });
    }
  }

  private sample(entry: Entry, bytes: number): void {
    const now = performance.now();
    entry.samples.push({ at: now, bytes });
    while (entry.samples.length > 2 && now - entry.samples[0].at > RATE_WINDOW_MS) entry.samples.shift();
    const first = entry.samples[0];
    const seconds = (now - first.at) / 1000;
    const rate = seconds > 0.2 ? (bytes - first.bytes) / seconds : entry.view.rate;
    const remaining = entry.view.totalBytes - bytes;
    this.update(entry, { doneBytes: bytes, rate, etaSeconds: rate > 0 ? remaining / rate : undefined });
  }

  private finish(entry: Entry, patch: Partial<TransferView>): TransferView {
    this.update(entry, { ...patch, rate: 0, etaSeconds: undefined });
    return entry.view;
  }

  private update(entry: Entry, patch: Partial<TransferView>): void {
    entry.view = { ...entry.view, ...patch };
    this.notify();
  }

  /** Progress arrives per chunk; the UI repaints at most once per frame (or every 100 ms in a hidden tab). */
  private notify(): void {
    if (this.notifyScheduled) return;
    this.notifyScheduled = true;
    const flush = () => {
      this.notifyScheduled = false;
      for (const listener of this.listeners) listener();
    };
    const page = globalThis as { requestAnimationFrame?: (callback: () => void) => number; document?: { visibilityState?: string } };
    if (page.requestAnimationFrame && page.document?.visibilityState === 'visible') page.requestAnimationFrame(flush);
    else setTimeout(flush, 100);
  }
}

export const isFinished = (status: TransferStatus): boolean => status === 'done' || status === 'failed' || status === 'cancelled';
