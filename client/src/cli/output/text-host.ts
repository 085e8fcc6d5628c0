/**
 * Output for people. On a terminal: a progress bar per running transfer (bytes, rate, ETA) on
 * stderr, retries noted above the bars. Piped: quiet, only warnings and the result. Results go to
 * stdout, failures to stderr as one line.
 *
 * While bars are drawn, the bar renderer owns stderr: it moves the cursor up over its own lines on
 * every redraw, so a line written past it would be overwritten in part, and bars scrolled out of its
 * reach would stay on screen. Every line goes through it then (printed above the bars), and the bars
 * are taken down, leaving nothing behind, as soon as none is running.
 */
import { MultiBar, type SingleBar } from 'cli-progress';
import { basename } from 'node:path';
import type { ToteError } from '../../core/errors';
import type { ToteEvent } from '../../events';
import { logLine } from '../../sync/sync-log';
import { formatBytes, formatFailure, formatRate } from './format';
import type { OutputHost, OutputStream } from './host';

/** Bars drawn at once: a batch of small files starts a thousand uploads together, and a screenful is enough. */
const MAX_BARS = 8;

interface LiveBar {
  readonly bar: SingleBar;
  readonly total: number;
  readonly startedAt: number;
  value: number;
}

export class TextHost implements OutputHost {
  private multibar?: MultiBar;
  private readonly bars = new Map<string, LiveBar>();

  constructor(
    private readonly out: OutputStream,
    private readonly err: OutputStream,
    /** Draw progress bars (stderr is a terminal). */
    private readonly progress: boolean,
  ) {}

  event(e: ToteEvent): void {
    switch (e.type) {
      case 'hash.start':
        return this.open(`hash ${e.localPath}`, `hashing ${basename(e.localPath)}`, e.size);
      case 'hash.progress':
        return this.set(`hash ${e.localPath}`, e.bytes);
      case 'hash.done':
        return this.finish(`hash ${e.localPath}`);
      case 'upload.start':
        return this.open(`put ${e.remotePath}`, `put ${e.remotePath}`, e.size);
      case 'upload.chunk':
        return this.advance(`put ${e.remotePath}`, e.bytes);
      case 'upload.waiting':
        return;
      case 'upload.done':
        return this.finish(`put ${e.remotePath}`);
      case 'download.start':
        return this.open(`get ${e.remotePath}`, `get ${e.remotePath}`, e.size);
      case 'download.chunk':
        return this.advance(`get ${e.remotePath}`, e.bytes);
      case 'download.done':
        return this.finish(`get ${e.remotePath}`);
      case 'retry':
        if (this.progress) this.note(`retrying ${e.operation} in ${(e.delayMs / 1000).toFixed(1)} s: ${e.message} (${e.code})`);
        return;
      case 'warning':
        return this.note(`tote: warning: ${e.subject !== undefined ? `${e.subject}: ` : ''}${e.message}`);
      case 'sync.pass':
        // A pass ends with nothing in flight: bars of transfers that failed or were skipped end with it.
        return this.stopBars();
      case 'sync.op':
      case 'sync.conflict':
      case 'sync.warning':
      case 'sync.error':
      case 'sync.status': {
        // The daemon's voice: the same lines as its log (sync-log.ts), without timestamps.
        const line = logLine(e);
        return line === undefined ? undefined : this.note(`tote sync: ${line}`);
      }
    }
  }

  result(_command: string, _data: object, lines: readonly string[]): void {
    this.stopBars();
    for (const line of lines) this.out.write(line + '\n');
  }

  failure(error: ToteError): void {
    this.stopBars();
    this.err.write(formatFailure(error) + '\n');
  }

  close(): void {
    this.stopBars();
  }

  private open(key: string, label: string, total: number): void {
    // Again for the same file (a retry after a failure): the old bar goes.
    this.finish(key);
    if (!this.progress || total <= 0 || this.bars.size >= MAX_BARS) return;
    this.multibar ??= new MultiBar({
      stream: this.err as NodeJS.WritableStream,
      format: '{label} |{bar}| {percentage}% {done}/{size} {rate} ETA {eta_formatted}',
      barsize: 30,
      // A hidden cursor would stay hidden after Ctrl-C, which ends the process without cleanup.
      hideCursor: false,
      clearOnComplete: true,
      etaBuffer: 20,
    });
    const payload = { label, done: formatBytes(0), size: formatBytes(total), rate: formatRate(0) };
    this.bars.set(key, { bar: this.multibar.create(total, 0, payload), total, startedAt: Date.now(), value: 0 });
  }

  private advance(key: string, bytes: number): void {
    const live = this.bars.get(key);
    if (live) this.set(key, live.value + bytes);
  }

  private set(key: string, value: number): void {
    const live = this.bars.get(key);
    if (!live) return;
    live.value = Math.min(value, live.total);
    const seconds = Math.max(0.001, (Date.now() - live.startedAt) / 1000);
    live.bar.update(live.value, { done: formatBytes(live.value), rate: formatRate(live.value / seconds) });
  }

  private finish(key: string): void {
    const live = this.bars.get(key);
    if (!live) return;
    this.bars.delete(key);
    if (this.bars.size === 0) return this.stopBars();
    this.multibar?.remove(live.bar);
  }

  private note(line: string): void {
    if (this.multibar) this.multibar.log(line + '\n');
    else this.err.write(line + '\n');
  }

  /** Takes the bars down: lines waiting to be printed above them first, then the bars' lines are cleared. */
  private stopBars(): void {
    this.bars.clear();
    if (!this.multibar) return;
    this.multibar.update();
    this.multibar.stop();
    this.multibar = undefined;
  }
}
