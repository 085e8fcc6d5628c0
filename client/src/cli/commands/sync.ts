/** sync and status. */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ToteClient } from '../../client';
import { ToteError } from '../../core/errors';
import { statEntry } from '../../localfs/identity';
import { SyncDaemon, type DaemonOptions } from '../../sync/daemon';
import { DaemonLock } from '../../sync/daemon-lock';
import type { PassResult, SyncEngine } from '../../sync/engine';
import { STATE_FOLDER } from '../../sync/ignore-rules';
import type { SelectionEdits } from '../../sync/selection';
import { isRunning, readStatus, registeredFolders, registerFolder, writeStatus, type FolderStatus } from '../../sync/status';
import { SyncLog, syncLogPath } from '../../sync/sync-log';
import { loadSelection, loadSyncEngine, loadWatcher } from '../on-demand';
import { formatWhen } from '../output/format';
import type { CommandOutput } from './output';

export interface SyncCommandOptions extends Omit<DaemonOptions, 'source' | 'push'>, SelectionEdits {
  readonly once?: boolean;
  /** Listen for the service's change hints (default true). */
  readonly push?: boolean;
  readonly remote?: string;
  readonly device?: string;
  readonly settleMs?: number;
}

/** Stops on the first SIGINT or SIGTERM (the daemon finishes the operation in hand first). */
function stopSignal(): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return { signal: controller.signal, dispose: () => (process.off('SIGINT', stop), process.off('SIGTERM', stop)) };
}

export async function sync(client: ToteClient, folder: string, options: SyncCommandOptions): Promise<CommandOutput> {
  const root = resolve(folder);
  if (!(await statEntry(root).catch(() => undefined))?.isDirectory) throw new ToteError('USAGE', 'no such folder to sync', { subject: root });
  await mkdir(join(root, STATE_FOLDER), { recursive: true });
  const { editSelection, hasEdits } = await loadSelection();
  const running = hasEdits(options) ? await DaemonLock.holder(root) : undefined;
  if (running !== undefined) return editWhileRunning(root, running, options);
  const lock = await DaemonLock.acquire(root);
  const log = await SyncLog.open(root);
  const unsubscribe = client.subscribe(log.sink);
  let engine: SyncEngine | undefined;
  try {
    const [{ SyncEngine }, { ChokidarSource }] = await Promise.all([loadSyncEngine(), loadWatcher()]);
    engine = await SyncEngine.open(client, { root, remoteRoot: options.remote, deviceName: options.device, settleMs: options.settleMs });
    await registerFolder(client.stateDir, { root, remoteRoot: engine.remoteRoot });
    log.write(`started (pid ${process.pid}, ${options.once ? 'once' : 'daemon'}) syncing ${root} with ${engine.remoteRoot}`);
    const edited = hasEdits(options) ? editSelection(engine.selection, engine.remoteRoot, options).lines : [];
    edited.forEach((line) => log.write(line));
    if (options.once) return withLines(edited, await once(engine));
    const { signal, dispose } = stopSignal();
    try {
      const push = options.push === false ? undefined : client.push();
      await new SyncDaemon(engine, { ...options, source: new ChokidarSource(root), push }).run(signal);
    } finally {
      dispose();
    }
    return { data: { root, remoteRoot: engine.remoteRoot, stopped: true }, lines: [...edited, `Stopped syncing ${root}.`] };
  } finally {
    log.write('stopped');
    unsubscribe();
    await log.close();
    engine?.close();
    await lock.release();
  }
}

/** `--exclude`, `--include`, `--allow-deletes` or `--restore-deletes` for a folder a daemon is syncing: written to its state, which the daemon watches. */
async function editWhileRunning(root: string, pid: number, edits: SelectionEdits): Promise<CommandOutput> {
  const { editSelection, withFolderSelection } = await loadSelection();
  const change = await withFolderSelection(root, (selection, remoteRoot) => ({ remoteRoot, ...editSelection(selection, remoteRoot, edits) }));
  if (change === undefined) throw new ToteError('USAGE', 'this folder is not linked yet', { subject: root });
  const { lines, ...data } = change;
  return { data: { root, ...data, runningPid: pid }, lines: [...lines, `The running sync (process ${pid}) applies this at its next poll.`] };
}

const withLines = (lines: readonly string[], output: CommandOutput): CommandOutput => ({ ...output, lines: [...lines, ...output.lines] });

async function once(engine: SyncEngine): Promise<CommandOutput> {
  const result: PassResult = await engine.syncOnce();
  const errors = [...engine.failures.entries()].map(([path, e]) => ({ path, code: e.code, message: e.message }));
  const state = errors.length > 0 ? 'error' : result.deferred.length > 0 ? 'syncing' : 'up-to-date';
  const now = new Date().toISOString();
  await writeStatus({ root: engine.root, remoteRoot: engine.remoteRoot, pid: process.pid, state, pending: result.deferred.length + errors.length, errors, lastSyncAt: now, updatedAt: now });
  const lines = [`Synced ${engine.root} with ${engine.remoteRoot}: ${describeState(state, result.deferred.length, errors.length)}.`];
  for (const e of errors) lines.push(`  ${e.path}: ${e.message} (${e.code})`);
  const selection = (await loadSelection()).describeSelection(engine.selection, engine.remoteRoot);
  return { data: { root: engine.root, remoteRoot: engine.remoteRoot, state, deferred: result.deferred, errors, ...selection }, lines, exitCode: errors.length > 0 ? 1 : 0 };
}

function describeState(state: FolderStatus['state'], pending: number, errors: number): string {
  switch (state) {
    case 'up-to-date':
      return 'up to date';
    case 'syncing':
      return `syncing ${pending} file(s)`;
    case 'offline':
      return 'offline (retrying)';
    case 'error':
      return `${errors} error(s)`;
  }
}

/** A folder's line in `tote status`: its state, with the time of the last pass, and whether its daemon still runs. */
function describeFolder(s: FolderStatus | null, running: boolean, now: Date): string {
  if (s === null) return 'never synced';
  const what = describeState(s.state, s.pending, s.errors.length);
  const lastPass = s.lastSyncAt ? formatWhen(s.lastSyncAt, now) : undefined;
  if (!running) {
    const stopped = s.stoppedAt ? `stopped ${formatWhen(s.stoppedAt, now)}; ` : '';
    return `not running (${stopped}last: ${what}${lastPass ? ` at ${lastPass}` : ''})`;
  }
  const firstError = s.errors.length > 0 ? `; ${s.errors[0].path || 'sync'}: ${s.errors[0].message}` : '';
  return `${what}${lastPass ? ` (last pass ${lastPass})` : ''}${firstError}`;
}

export async function status(client: ToteClient): Promise<CommandOutput> {
  const folders = await registeredFolders(client.stateDir);
  const { describeSelection, withFolderSelection } = await loadSelection();
  const rows = await Promise.all(
    folders.map(async (f) => {
      const status = await readStatus(f.root).catch(() => undefined);
      const running = status !== undefined && status.pid !== process.pid && isRunning(status.pid);
      const selection = await withFolderSelection(f.root, (s, remoteRoot) => describeSelection(s, remoteRoot)).catch(() => undefined);
      return { root: f.root, remoteRoot: f.remoteRoot, running, log: syncLogPath(f.root), status: status ?? null, excluded: selection?.excluded ?? [], heldDeletes: selection?.heldDeletes ?? 0 };
    }),
  );
  const now = new Date();
  const lines = rows.map((r) => {
    const excluded = r.excluded.length > 0 ? `\n  excluded on this device: ${r.excluded.join(', ')}` : '';
    const held = r.heldDeletes > 0 ? `\n  ${r.heldDeletes} deletes wait for you: \`tote sync ${r.root} --allow-deletes\` or \`--restore-deletes\`` : '';
    return `${r.root} <-> ${r.remoteRoot}: ${describeFolder(r.status, r.running, now)}${excluded}${held}`;
  });
  return { data: { folders: rows }, lines: lines.length > 0 ? lines : ['No folder is synced on this machine; start with `tote sync <folder>`.'] };
}
