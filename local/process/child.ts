/**
 * One emulator child process: spawned with its output captured to a log file (and offered line by
 * line to a listener), health-checked until it answers, and stopped by PID (SIGTERM, then SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as readline from 'node:readline';
import { forgetPid, recordPid } from './leftovers';
import { waitUntil } from './wait';

export interface ChildSpec {
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly logFile: string;
  /** Resolves true once the process serves requests. */
  readonly healthy: () => Promise<boolean>;
  readonly startTimeoutMs: number;
  readonly onLine?: (line: string) => void;
  /** Said when the command cannot be run at all, e.g. what to install. */
  readonly requirement?: string;
  /** Told when the process dies after it started and before stop() was asked for. */
  readonly onUnexpectedExit?: (reason: string) => void;
  /** Where its PID is kept while it runs, for a later runtime to end it if this one is killed (leftovers.ts). */
  readonly pidFile?: string;
}

export interface ManagedChild {
  /** SIGTERM by PID, SIGKILL after a grace period; resolves once the process is gone. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 5_000;

/** PIDs still running, so an unexpected exit of the runtime can still take its children along. */
const live = new Set<number>();
process.once('exit', () => {
  for (const pid of live) killQuietly(pid, 'SIGKILL');
});

/** Kills `child` if this process exits first (a crash, or a signal during start-up). */
export function killWithParent(child: ChildProcess): void {
  if (child.pid === undefined) return;
  const pid = child.pid;
  live.add(pid);
  child.once('exit', () => live.delete(pid));
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // ESRCH: it is already gone, which is what we wanted.
  }
}

export async function startChild(spec: ChildSpec): Promise<ManagedChild> {
  const log = fs.createWriteStream(spec.logFile, { flags: 'a' });
  const child: ChildProcess = spawn(spec.command, [...spec.args], {
    cwd: spec.cwd,
    env: spec.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group: a terminal's Ctrl-C reaches only the runtime, which stops its children
    // itself, in order (functions before the databases they use).
    detached: true,
  });
  killWithParent(child);
  if (child.pid !== undefined && spec.pidFile) recordPid(spec.pidFile, child.pid);
  let exitReason: string | undefined;
  let running = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitReason = `${spec.name} exited (${signal ?? `code ${code}`}); see ${spec.logFile}`;
      if (spec.pidFile) forgetPid(spec.pidFile);
      if (running) spec.onUnexpectedExit?.(exitReason);
      resolve();
    });
  });
  child.once('error', (err) => {
    exitReason = `${spec.name} could not start ${spec.command}: ${err.message}${spec.requirement ? ` (${spec.requirement})` : ''}`;
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.pipe(log, { end: false });
    if (spec.onLine && stream) readline.createInterface({ input: stream }).on('line', spec.onLine);
  }

  const stop = async (): Promise<void> => {
    running = false;
    if (child.pid === undefined || exitReason) return close(log);
    killQuietly(child.pid, 'SIGTERM');
    const killer = setTimeout(() => killQuietly(child.pid as number, 'SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(killer);
    await close(log);
  };

  try {
    await waitUntil(`${spec.name} health check`, spec.healthy, {
      timeoutMs: spec.startTimeoutMs,
      abort: () => exitReason,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  running = true;
  return { stop };
}

const close = (stream: fs.WriteStream) => new Promise<void>((resolve) => stream.end(resolve));
