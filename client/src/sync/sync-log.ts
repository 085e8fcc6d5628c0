/**
 * The daemon's log: <folder>/.tote/sync.log, one line per thing a person may want to know later
 * (operations done, conflicts, warnings, errors, state changes), timestamped. Per-chunk progress is
 * left out. The file is started afresh (the old one kept as sync.log.1) once it passes 10 MiB.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventSink, ToteEvent } from '../events';
import { STATE_FOLDER } from './ignore-rules';

export const SYNC_LOG = 'sync.log';
const MAX_BYTES = 10 * 1024 * 1024;

export const syncLogPath = (root: string): string => join(root, STATE_FOLDER, SYNC_LOG);

/** The log line of an event, or undefined for events too fine-grained to log. */
export function logLine(e: ToteEvent): string | undefined {
  switch (e.type) {
    case 'sync.op':
      return e.outcome === 'done' ? `${e.op} ${e.side} ${e.path}` : undefined;
    case 'sync.conflict':
      return `${e.reason === 'case-clash' ? 'case clash' : 'conflict'}: kept ${e.path} as ${e.copy}`;
    case 'sync.warning':
      return `warning ${e.path}: ${e.message} (${e.code})`;
    case 'sync.error':
      return `error ${e.path}: ${e.message} (${e.code})`;
    case 'sync.status':
      return `status ${e.state}${e.pending > 0 ? `, ${e.pending} pending` : ''}`;
    case 'sync.pass':
      return e.operations > 0 || e.pulled > 0 ? `pass: ${e.pulled} remote change(s), ${e.operations} operation(s), ${e.durationMs} ms` : undefined;
    case 'sync.pull':
      return e.pulled > 0 ? `pulled ${e.pulled} remote change(s) (woken by ${e.reasons.join(', ')})` : undefined;
    case 'push.state':
      return `push channel ${e.state}${e.retryInMs === undefined ? '' : `, next try in ${Math.round(e.retryInMs / 1000)} s`}${e.reason ? ` (${e.reason})` : ''}`;
    case 'retry':
      return `retry ${e.operation}: ${e.message} (${e.code}, attempt ${e.attempt})`;
    case 'warning':
      return `warning ${e.subject ?? ''}: ${e.message} (${e.code})`;
    default:
      return undefined;
  }
}

export class SyncLog {
  private constructor(private readonly stream: WriteStream) {}

  static async open(root: string): Promise<SyncLog> {
    const path = syncLogPath(root);
    const size = await stat(path).then((s) => s.size, () => 0);
    if (size > MAX_BYTES) await rename(path, `${path}.1`);
    return new SyncLog(createWriteStream(path, { flags: 'a' }));
  }

  readonly sink: EventSink = (event) => {
    const line = logLine(event);
    if (line !== undefined) this.write(line);
  };

  write(line: string): void {
    this.stream.write(`${new Date().toISOString()} ${line}\n`);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.stream.end(resolve));
  }
}
