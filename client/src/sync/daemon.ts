/**
 * `tote sync <folder>` as a daemon: one loop per folder, so passes never overlap. The loop wakes for
 * a batch of watcher events (debounced; its first event wakes it once more, to read the feed while
 * the batch settles), a hint from the push channel, a poll of the change feed, a retry of waiting or
 * failed files, and a periodic reconciliation pass that rescans the folder whatever the watcher said. While the push channel is up, a hint reads the feed at once and the
 * feed is polled only every pushPollMs (a safety net: hints are best effort); while it is down, the
 * feed is polled adaptively: every pollMinMs while changes flow and for ten polls after the last one,
 * then doubling up to pollMaxMs while idle. The channel coming up reads the feed (hints sent while it
 * was down are lost); going down restarts the adaptive schedule at its quick end. Errors that
 * concern the whole session (network, sign-in) make the folder offline or failing and back off;
 * they never end the daemon. The state is written to <folder>/.tote/status.json after every pass
 * and change of state (with the time of the last pass), and once more, with the time, on stopping.
 */
import { isGlobalError, toToteError, type ToteError } from '../core/errors';
import type { SyncState, WakeReason } from '../events';
import { Debouncer } from './debounce';
import type { PassResult, SyncEngine } from './engine';
import { writeStatus, type FolderError } from './status';
import { ADAPTIVE_SETTLE } from './write-settle';
import type { ChangeSource } from './watcher';

export interface DaemonOptions {
  /** Poll interval while changes flow (default 1 s) and the ceiling it backs off to when idle (default 30 s). */
  readonly pollMinMs?: number;
  readonly pollMaxMs?: number;
  /** Watcher events are batched until this long without one (default: the shortest settle time, 250 ms) ... */
  readonly quietMs?: number;
  /** ... but at most this long after the first (default 2 s). */
  readonly maxWaitMs?: number;
  /** A full pass at least this often, changes seen or not (default 10 min). */
  readonly reconcileMs?: number;
  /** Poll interval while the push channel is up (default 5 min). */
  readonly pushPollMs?: number;
  readonly source: ChangeSource;
  /** Hints that the feed moved; without it the daemon only polls. */
  readonly push?: PushSignal;
}

/** What the daemon needs of the push channel (push/channel.ts). */
export interface PushSignal {
  readonly connected: boolean;
  subscribe(listener: { hint(): void; state(connected: boolean): void }): () => void;
}

export const DEFAULT_DAEMON_TUNING = {
  pollMinMs: 1_000,
  pollMaxMs: 30_000,
  // A one-shot write is not uploaded before it has been left alone this long anyway (write-settle.ts):
  // waking any later only adds to every change's latency, waking sooner finds it still settling.
  quietMs: ADAPTIVE_SETTLE.minMs,
  maxWaitMs: 2_000,
  reconcileMs: 10 * 60_000,
  pushPollMs: 5 * 60_000,
} as const;

/** Polls at the quick interval after the last change seen, before backing off. */
const ACTIVE_POLLS = 10;

/** How often a running daemon looks for selection edits made by another tote process. */
const SELECTION_CHECK_MS = 1000;

/** Passes one wake-up may run back to back while they keep doing work. */
const MAX_PASSES_PER_WAKE = 10;

export class SyncDaemon {
  private readonly tuning: Required<Omit<DaemonOptions, 'source' | 'push'>>;
  private wake?: () => void;
  private woken = false;
  /** Why the loop was woken since it last read the feed. */
  private readonly reasons = new Set<WakeReason>(['start']);
  private localDirty = true;
  /**
   * Paths the watcher reported since the last pass, for a pass that looks at those only; undefined
   * when the next pass must scan the whole folder (the first, after a watcher error, a reconciliation).
   */
  private changed?: Set<string>;
  /** When the first change of the batch the debouncer holds was heard; undefined while it holds none. */
  private batchStartedAt?: number;
  /** When the first change of the batches handed on but not yet looked at by a pass was heard. */
  private localSince?: number;
  /** When the last feed read that succeeded was started. */
  private lastReadAt = 0;
  /** The state last reported (a `sync.status` event goes out when it changes) and the status file as last written. */
  private current: { state: SyncState; pending: number; errors: readonly FolderError[] } = { state: 'syncing', pending: 0, errors: [] };
  private lastReported?: string;
  private lastWritten?: string;
  private lastSyncAt?: string;

  constructor(
    private readonly engine: SyncEngine,
    private readonly options: DaemonOptions,
  ) {
    const { source: _source, push: _push, ...tuning } = options;
    this.tuning = { ...DEFAULT_DAEMON_TUNING, ...stripUndefined(tuning) };
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    const { pollMinMs, pollMaxMs, quietMs, maxWaitMs, reconcileMs, pushPollMs } = this.tuning;
    const push = this.options.push;
    const debouncer = new Debouncer<string>(quietMs, maxWaitMs, (batch) => {
      for (const rel of batch) this.changed?.add(rel);
      this.localSince = Math.min(this.localSince ?? Infinity, this.batchStartedAt ?? Date.now());
      this.batchStartedAt = undefined;
      this.localDirty = true;
      this.wakeUp('local');
    });
    signal.addEventListener('abort', () => this.wakeUp(), { once: true });
    await this.options.source.start(
      (rel) => {
        if (this.batchStartedAt === undefined) {
          this.batchStartedAt = Date.now();
          this.wakeUp('watch');
        }
        debouncer.add(rel);
      },
      (error) => {
        // Whatever it missed is found by a full scan, the next pass's.
        this.changed = undefined;
        this.localDirty = true;
        this.engine.warn('watcher', '', `the file watcher failed (${error.message}); changes are found by the full scan`);
        this.wakeUp('local');
      },
    );
    let interval = pollMinMs;
    let lastActivity = Date.now();
    let nextReconcile = Date.now() + reconcileMs;
    let retryAt: number | undefined;
    const unsubscribe = push?.subscribe({ hint: () => this.wakeUp('push'), state: (up) => this.wakeUp(up ? 'push-up' : 'push-down') });
    // `tote sync --exclude/--include` edits the selection from another process: with the push channel
    // up the next poll is minutes away, so the edit is looked for locally (a database read, no request).
    const selectionWatch = setInterval(() => {
      if (this.engine.selectionChanged()) this.wakeUp('local');
    }, SELECTION_CHECK_MS);
    try {
      while (!signal.aborted) {
        let active = false;
        const reasons = [...this.reasons];
        this.reasons.clear();
        const readAlready = this.feedReadForBatch(reasons);
        try {
          let pulled = 0;
          if (!readAlready) {
            const reading = Date.now();
            pulled = await this.engine.pull();
            this.lastReadAt = reading;
            this.engine.reportPull(reasons, pulled);
          }
          const now = Date.now();
          const due = this.localDirty || pulled > 0 || now >= nextReconcile || (retryAt !== undefined && now >= retryAt);
          if (due) {
            this.localDirty = false;
            this.localSince = undefined;
            if (now >= nextReconcile) {
              nextReconcile = now + reconcileMs;
              this.changed = undefined;
            }
            const changed = this.changed;
            this.changed = new Set();
            const result = await this.passes(signal, changed);
            active = pulled > 0 || result.done > 0;
            retryAt = nextRetry(result, pollMinMs);
            this.lastSyncAt = new Date().toISOString();
            await this.report(result);
          } else if (retryAt === undefined) {
            // Back from offline (or still up to date: an unchanged state is not written again).
            await this.setState('up-to-date', 0);
          }
        } catch (thrown) {
          // The changed paths it took are not known to be looked at: the next pass scans everything.
          this.changed = undefined;
          const error = toToteError(thrown);
          await this.setState(error.code === 'NETWORK' ? 'offline' : 'error', 0, [{ path: '', code: error.code, message: error.message }]);
          if (!isGlobalError(error)) this.engine.warn('pass', '', `a sync pass failed: ${error.message} (${error.code})`);
        }
        if (active) lastActivity = Date.now();
        // Changes come in bursts: stay quick for a while after one, then back off; the push channel going down starts over.
        if (reasons.includes('push-down')) lastActivity = Date.now();
        interval = Date.now() - lastActivity < ACTIVE_POLLS * pollMinMs ? pollMinMs : Math.min(pollMaxMs, interval * 2);
        const poll = push?.connected ? pushPollMs : interval;
        const due: [number, WakeReason][] = [
          [poll, 'poll'],
          [nextReconcile - Date.now(), 'reconcile'],
          [retryAt === undefined ? Infinity : retryAt - Date.now(), 'retry'],
        ];
        const [until, reason] = due.reduce((soonest, next) => (next[0] < soonest[0] ? next : soonest));
        await this.sleep(Math.max(0, until), reason, signal);
      }
    } finally {
      clearInterval(selectionWatch);
      unsubscribe?.();
      debouncer.close();
      await this.options.source.close();
      await this.writeStatus(new Date().toISOString());
    }
  }

  /**
   * A batch of local changes alone needs no feed read of its own when the feed was read after the
   * batch's first change was heard (the `watch` wake reads it while the batch settles): the pass
   * plans with that read, which is as fresh as one made before the local changes were looked at,
   * and the upload does not wait for a request. Anything else that woke the loop (a hint, a poll, a
   * retry, a selection edit) reads the feed. A remote change the read missed is no danger either way:
   * every remote operation names the revision it replaces, and the service refuses it if it moved.
   */
  private feedReadForBatch(reasons: readonly WakeReason[]): boolean {
    const onlyLocal = reasons.length > 0 && reasons.every((r) => r === 'local');
    return onlyLocal && this.localDirty && this.localSince !== undefined && this.lastReadAt >= this.localSince;
  }

  /** Passes while they keep doing work (a pass may leave follow-ups: a move, then the content). */
  private async passes(signal: AbortSignal, changed: ReadonlySet<string> | undefined): Promise<PassResult> {
    let result = await this.engine.pass(changed);
    // The follow-ups look at what the operations touched (the engine keeps those), whatever the first scanned.
    for (let i = 1; i < MAX_PASSES_PER_WAKE && result.done + result.skipped > 0 && !signal.aborted; i++) result = await this.engine.pass(new Set());
    return result;
  }

  private async report(result: PassResult): Promise<void> {
    const failures = [...this.engine.failures.entries()].map(([path, e]: [string, ToteError]) => ({ path, code: e.code, message: e.message }));
    const pending = result.deferred.length + failures.length;
    const state: SyncState = failures.length > 0 ? 'error' : pending > 0 ? 'syncing' : 'up-to-date';
    await this.setState(state, pending, failures);
  }

  private async setState(state: SyncState, pending: number, errors: readonly FolderError[] = []): Promise<void> {
    this.current = { state, pending, errors };
    const key = JSON.stringify(this.current);
    if (key !== this.lastReported) {
      this.lastReported = key;
      this.engine.reportStatus(state, pending);
    }
    await this.writeStatus();
  }

  /** Writes the status file when what it says changed: the state, or the time of the last pass. */
  private async writeStatus(stoppedAt?: string): Promise<void> {
    const key = JSON.stringify([this.current, this.lastSyncAt, stoppedAt]);
    if (key === this.lastWritten) return;
    this.lastWritten = key;
    await writeStatus({
      root: this.engine.root,
      remoteRoot: this.engine.remoteRoot,
      pid: process.pid,
      ...this.current,
      ...(this.lastSyncAt ? { lastSyncAt: this.lastSyncAt } : {}),
      ...(stoppedAt ? { stoppedAt } : {}),
      updatedAt: new Date().toISOString(),
    });
  }

  private wakeUp(reason?: WakeReason): void {
    if (reason) this.reasons.add(reason);
    this.woken = true;
    this.wake?.();
  }

  /** Sleeps `ms`, then wakes for `reason`; an earlier wakeUp cuts it short. */
  private sleep(ms: number, reason: WakeReason, signal: AbortSignal): Promise<void> {
    if (this.woken || signal.aborted) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        this.woken = false;
        resolve();
      };
      const timer = setTimeout(() => {
        this.reasons.add(reason);
        done();
      }, ms);
      this.wake = done;
    });
  }
}

/** A file being written is looked at again the moment it has settled; waiting or failed files after a poll interval. */
function nextRetry(result: PassResult, pollMinMs: number): number | undefined {
  const later = result.failed > 0 || result.deferred.length > 0 ? Date.now() + pollMinMs : undefined;
  return result.settlesAt === undefined ? later : Math.min(result.settlesAt, later ?? Infinity);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
