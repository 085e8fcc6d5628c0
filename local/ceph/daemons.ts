import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Daemon, Layout } from './layout';

/** A daemon we started: its pid, and whether it has exited (known only to the process that spawned it). */
export interface Running {
  readonly daemon: Daemon;
  readonly pid: number;
  exited(): boolean;
}

/**
 * Starts a Ceph daemon in the foreground mode (`-f`) as a detached child, output to its log file, and
 * records its pid in the data dir, so `stop` works from another process (the CLI) as well as from ours.
 */
export function startDaemon(layout: Layout, daemon: Daemon, command: string, args: readonly string[]): Running {
  const out = openSync(layout.outFile(daemon), 'a');
  try {
    const child = spawn(command, [...args], { detached: true, stdio: ['ignore', out, out] });
    if (child.pid === undefined) throw new Error(`could not start ${command}`);
    let hasExited = false;
    child.once('exit', () => (hasExited = true));
    child.unref();
    writeFileSync(layout.pidFile(daemon), `${child.pid}\n`);
    return { daemon, pid: child.pid, exited: () => hasExited };
  } finally {
    closeSync(out);
  }
}

/**
 * The pid recorded for a daemon, if that process is still alive and is still ours: it must be running
 * with this cluster's ceph.conf, so a recycled pid of some unrelated process is never signalled.
 */
export function recordedPid(layout: Layout, daemon: Daemon): number | undefined {
  const file = layout.pidFile(daemon);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return isOurs(pid, layout) ? pid : undefined;
}

function isOurs(pid: number, layout: Layout): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /s, '')[0];
    if (state === 'Z') return false;
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(layout.conf);
  } catch {
    return false;
  }
}

/** Stops one daemon by its recorded pid: SIGTERM, then SIGKILL if it is still there after the grace period. */
export async function stopDaemon(layout: Layout, daemon: Daemon, graceMs = 10_000): Promise<void> {
  const pid = recordedPid(layout, daemon);
  if (pid !== undefined) {
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (isOurs(pid, layout) && Date.now() < deadline) await sleep(50);
    if (isOurs(pid, layout)) {
      process.kill(pid, 'SIGKILL');
      while (isOurs(pid, layout)) await sleep(20);
    }
  }
  rmSync(layout.pidFile(daemon), { force: true });
}

/** The last lines a daemon wrote, to explain why it failed to come up. */
export function outputTail(layout: Layout, daemon: Daemon, lines = 20): string {
  try {
    return readFileSync(layout.outFile(daemon), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no output)';
  }
}
