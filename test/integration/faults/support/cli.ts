/**
 * The CLI as a separate process (`node client/bin/tote.cjs`, one process, so SIGKILL stops the client
 * itself), its HTTP through the fault proxy (rerouting.cjs preloaded), its events read as JSON lines;
 * killed with SIGKILL the moment a condition on the events so far holds.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ToteEvent } from '../../../../client/src';

const REPO = join(__dirname, '..', '..', '..', '..');
const LAUNCHER = join(REPO, 'client', 'bin', 'tote.cjs');
const PRELOAD = join(__dirname, 'rerouting.cjs');

/** A JSON line of `--json` output: an engine event, or the final result or error. */
export type CliLine = ToteEvent | { readonly type: 'result' | 'error'; readonly [field: string]: unknown };

export interface CliRun {
  readonly lines: readonly CliLine[];
  readonly killed: boolean;
  readonly exitCode: number | null;
}

export interface CliOptions {
  readonly args: readonly string[];
  readonly proxyUrl: string;
  /** SIGKILL as soon as this holds for the lines so far; never when absent. */
  readonly killWhen?: (lines: readonly CliLine[]) => boolean;
}

export function runCli(options: CliOptions): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', PRELOAD, LAUNCHER, '--json', ...options.args], {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, TOTE_TEST_PROXY: options.proxyUrl },
    });
    const lines: CliLine[] = [];
    let killed = false;
    createInterface({ input: child.stdout }).on('line', (text) => {
      lines.push(JSON.parse(text) as CliLine);
      if (!killed && options.killWhen?.(lines)) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ lines, killed, exitCode }));
  });
}

/** Hashes of chunks a run had confirmed by storage (sent, or found present), in order. */
export const confirmedChunks = (lines: readonly CliLine[]): string[] =>
  lines.flatMap((l) => (l.type === 'upload.chunk' ? [l.hash] : []));

/** Indexes of chunks a download run had written into its temp file (and recorded). */
export const writtenChunks = (lines: readonly CliLine[]): number[] =>
  lines.flatMap((l) => (l.type === 'download.chunk' && l.source !== 'resumed' ? [l.index] : []));
