/**
 * The sync engine of one folder: a pass pulls the change feed into the remote tree, scans the folder,
 * hashes what changed (once it has stopped changing), plans with the pure planner, and executes the
 * plan in parallel phases (schedule.ts). Everything that changes state goes through `pass`, and the daemon
 * (daemon.ts) never runs two at once, so the folder's database has one writer doing one thing.
 *
 * The first open links the folder to the account: state lives in <folder>/.tote/, the remote root
 * is fixed from then on, and the first pass merges both sides without deleting anything (equal
 * content is linked; different content keeps both, the local one as a conflicted copy).
 *
 * Guards around the plan, so that "missing here" never wrongly becomes "deleted everywhere": a pass
 * runs only while the folder still holds the very database it opened (an unmounted disk or a
 * removed folder stops the sync, it is not an empty folder); ignore rules and excluded folders are
 * read before the scan and again after it, and a path either reading ignores is outside the synced
 * set, as is a path a link took over; what the scan could not see is frozen (blind-spots.ts);
 * files leaving the synced set are forgotten before any operation runs; and a mass delete waits
 * for the user (delete-guard.ts).
 */
import { normalizePath } from '@contract/paths';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ToteClient } from '../client';
import { ToteError } from '../core/errors';
import type { EventSink, SyncState, WakeReason } from '../events';
import { type FileIdentity } from '../localfs/identity';
import { sleep as realSleep } from '../core/retry/retry';
import { STATE_DB_FILE, StateStore } from '../state/store';
import type { SyncSelection } from '../state/sync-selection';
import type { SyncStore } from '../state/sync-state';
import type { TransferContext } from '../transfer/context';
import { isTempDownloadName } from '../transfer/temp-names';
import { blindSpots, FOLDER_SETTLE_MS } from './blind-spots';
import { DEFAULT_DELETE_GUARD, guardDeletes, type DeleteGuardLimits } from './delete-guard';
import { BatchedTransfers } from './batched-transfers';
import type { ExecutorContext, Staged } from './executor';
import { folderMoveKey } from './folder-moves';
import { IgnoreRules, STATE_FOLDER } from './ignore-rules';
import { identityAt } from './guarded-fs';
import { upgradeLegacyHashes } from './hash-upgrade';
import { LocalView, notLookedAt, pathsOf } from './changed-scan';
import { scanLocal } from './local-scan';
import { WriteSettle } from './write-settle';
import { LocalHasher } from './local-hashes';
import type { RemoteFile } from './model';
import type { Operation } from './operations';
import { conflictedCopyName } from './paths';
import { plan } from './planner';
import { RemoteTree } from './remote-tree';
import { runPlan } from './run-plan';
import { inSharedFolder, SHARED_FOLDER } from './shared-files';

export interface SyncEngineOptions {
  /** The folder, absolute. */
  readonly root: string;
  /** Remote folder it mirrors; fixed at the first run (default `/`). */
  readonly remoteRoot?: string;
  /** Names this device in conflicted copies (default: the host name). */
  readonly deviceName?: string;
  /**
   * A file changed less than this long ago is still being written and waits. Default: adaptive, from
   * 250 ms up to as long as its write has lasted (write-settle.ts). A file missing from a folder changed
   * less than this long ago is not yet a delete (default FOLDER_SETTLE_MS, blind-spots.ts).
   */
  readonly settleMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Crash points for tests: awaited after each operation's effect, before its outcome is recorded. */
  readonly afterEffect?: (op: Operation) => void | Promise<void>;
  /** When a pass's remote deletes are many enough to wait for the user (default {@link DEFAULT_DELETE_GUARD}). */
  readonly deleteGuard?: DeleteGuardLimits;
}

export interface PassResult {
  /** Remote files the change feed changed. */
  readonly pulled: number;
  readonly done: number;
  /** Operations whose file changed meanwhile: decided again next pass. */
  readonly skipped: number;
  readonly failed: number;
  /** Paths waiting: still being written, or for a place another operation frees. */
  readonly deferred: readonly string[];
  /** When the first file still being written will have been left alone long enough (epoch ms). */
  readonly settlesAt?: number;
}

const MAX_ONCE_PASSES = 50;
const MAX_IDLE_PASSES = 3;

export class SyncEngine {
  readonly root: string;
  readonly remoteRoot: string;
  readonly deviceName: string;
  private readonly remote: RemoteTree;
  private readonly transfer: TransferContext;
  private readonly executor: ExecutorContext;
  private readonly warned = new Set<string>();
  private readonly settle: WriteSettle;
  private readonly hasher: LocalHasher;
  /** Files whose last operation failed, with why (under '' what holds the whole folder): what `tote status` shows. */
  readonly failures = new Map<string, ToteError>();
  /** The selection version the last plan was made with (see state/sync-selection.ts). */
  private plannedSelection: number;
  /** Remote changes the daemon's polls (`pull`) brought in since the last pass: the pass acts on them, so it reports them. */
  private pulledBeforePass = 0;
  /** Whether `pull` read the feed since the last pass: that read stands for the next pass, which would only read it again. */
  private feedJustRead = false;
  private closed = false;
  private lastRules?: IgnoreRules;
  /** The local tree as the scans left it: a pass woken by the watcher looks at the changed paths only (changed-scan.ts). */
  private readonly view = new LocalView();
  /** Paths the next changed-path pass looks at besides those the watcher reports: what this pass deferred or touched. */
  private readonly lookAgain = new Set<string>();

  private constructor(
    private readonly state: StateStore,
    client: ToteClient,
    private readonly options: SyncEngineOptions & { remoteRoot: string; deviceName: string },
    /** The folder's database file as opened: the folder is only synced while it still holds this very file. */
    private readonly database: FileIdentity,
  ) {
    this.root = options.root;
    this.settle = new WriteSettle(options.settleMs);
    this.hasher = new LocalHasher({ root: this.root, localFiles: state.localFiles, settle: this.settle, emit: this.emit, warn: (...a) => this.warn(...a), now: () => this.now() });
    this.remoteRoot = options.remoteRoot;
    this.deviceName = options.deviceName;
    this.transfer = client.transferContextWith(state, this.deviceName);
    this.remote = new RemoteTree(this.transfer.api, state.sync, this.remoteRoot);
    this.executor = {
      root: this.root,
      remoteRoot: this.remoteRoot,
      stagingDir: join(this.root, STATE_FOLDER, 'staging'),
      transfer: this.transfer,
      remote: this.remote,
      batches: new BatchedTransfers<Staged>(this.transfer),
      afterEffect: options.afterEffect,
      refusedFolderMoves: new Set(),
    };
    this.plannedSelection = state.selection.version();
  }

  /** Opens the folder's state, linking the folder on the first run. */
  static async open(client: ToteClient, options: SyncEngineOptions): Promise<SyncEngine> {
    const stateDir = join(options.root, STATE_FOLDER);
    await mkdir(join(stateDir, 'staging'), { recursive: true });
    const state = StateStore.open(stateDir);
    try {
      const linked = state.sync.root();
      const remoteRoot = normalizePath(options.remoteRoot ?? linked?.remoteRoot ?? '/');
      if (linked && (linked.remoteRoot !== remoteRoot || linked.endpoint !== client.endpoint)) {
        throw new ToteError('USAGE', `this folder is already synced with ${linked.remoteRoot} at ${linked.endpoint}`, { subject: options.root });
      }
      const deviceName = (options.deviceName ?? linked?.deviceName ?? hostname()).replace(/[/\\:]/g, '-');
      if (!linked) state.sync.link({ endpoint: client.endpoint, remoteRoot, deviceName });
      await clearStaging(join(stateDir, 'staging'));
      const database = await identityAt(join(stateDir, STATE_DB_FILE));
      if (database === undefined) throw new ToteError('LOCAL_IO', 'the folder\'s sync database is not a regular file', { subject: stateDir });
      return new SyncEngine(state, client, { ...options, remoteRoot, deviceName }, database);
    } catch (error) {
      state.close();
      throw error;
    }
  }

  get store(): SyncStore {
    return this.state.sync;
  }

  /** Excluded folders and held deletes (also edited by other tote processes). */
  get selection(): SyncSelection {
    return this.state.selection;
  }

  /** Runs passes until nothing is left to do or waiting (files being written are waited for). */
  async syncOnce(): Promise<PassResult> {
    let last: PassResult | undefined;
    let idle = 0;
    for (let i = 0; i < MAX_ONCE_PASSES; i++) {
      last = await this.pass();
      // Skipped or failed operations are tried again, but passes that only skip or fail end it.
      idle = last.done > 0 ? 0 : idle + 1;
      if (last.done > 0 || (last.skipped + last.failed > 0 && idle < MAX_IDLE_PASSES)) continue;
      if (last.deferred.length === 0) return last;
      await (this.options.sleep ?? realSleep)(this.settleMs);
    }
    return last as PassResult;
  }

  /**
   * One pass: pull (unless `pull` just did), scan, hash, plan, execute. `changed`: the paths the
   * watcher reported since the last pass, for a pass that looks at those only; without it (or when
   * the view cannot answer for them, changed-scan.ts) the whole folder is scanned.
   */
  async pass(changed?: ReadonlySet<string>): Promise<PassResult> {
    const started = Date.now();
    await this.checkFolder();
    const pulled = this.pulledBeforePass + (this.feedJustRead ? 0 : await this.remote.pull());
    this.pulledBeforePass = 0;
    this.feedJustRead = false;
    await upgradeLegacyHashes({ root: this.root, store: this.store, localFiles: this.state.localFiles, api: this.transfer.api, emit: this.emit });
    const selection = this.selection.version();
    const before = await this.rules();
    const changedScan = changed && (await this.view.rescan(this.root, before, new Set([...changed, ...this.lookAgain])));
    const scan = changedScan ? changedScan.scan : this.view.full(await scanLocal(this.root, before, this.view.known), before);
    this.lookAgain.clear();
    for (const w of scan.warnings) this.warn(w.code, w.rel, w.message);
    // Read again after the scan: a rule or exclusion added while it ran also covers what it found missing.
    const after = await this.rules();
    const synced = this.store.syncedFiles();
    const { local, unreadable, settlesAt } = await this.hasher.hashed(scan.files, synced);
    const { unseen, replaced, goneSettled } = blindSpots(scan, synced, unreadable, this.now(), this.options.settleMs ?? FOLDER_SETTLE_MS);
    const remote = this.store.remoteFiles().filter((r) => this.ownOutsideSharedFolder(r));
    const today = new Date(this.now());
    const { operations, deferred, held, leaving } = plan({
      synced,
      local,
      remote,
      conflictName: (rel, taken) => conflictedCopyName(rel, this.deviceName, today, taken),
      ignored: (rel) => before.ignores(rel) || (after !== before && after.ignores(rel)) || replaced(rel),
      unseen: changedScan ? notLookedAt(unseen, changedScan, synced) : unseen,
      goneSettled,
      folderMoveRefused: (side, from, to) => this.executor.refusedFolderMoves.has(folderMoveKey(side, from, to)),
    });
    for (const rel of [...deferred, ...operations.flatMap(pathsOf)]) this.lookAgain.add(rel);
    // Recorded before anything runs: once seen outside the synced set, a file never counts as synced here again.
    this.store.forgetSyncedFiles(leaving);
    this.plannedSelection = selection;
    for (const rel of held) this.warn('held', rel, `stays on this device: files added to "${SHARED_FOLDER}" are not uploaded (nobody's files to put them in)`);
    const toRun = this.holdMassDeletes(operations, synced.length - leaving.length);
    if (toRun.length > 0) this.reportStatus('syncing', toRun.length + deferred.length);
    const outcomes = await runPlan({ root: this.root, executor: this.executor, failures: this.failures, emit: this.emit, going: () => !this.closed }, toRun);
    const done = outcomes.filter((o) => o === 'done').length;
    const skipped = outcomes.filter((o) => o === 'skipped').length;
    const failed = outcomes.length - done - skipped;
    const result = { pulled, done, skipped, failed, deferred, ...(settlesAt === undefined ? {} : { settlesAt }) };
    this.emit({ type: 'sync.pass', root: this.root, pulled, operations: done, deferred: deferred.length, durationMs: Date.now() - started });
    return result;
  }

  /**
   * This device's ignore rules and excluded folders, as they are now: the very object of the last
   * reading while they have not changed, so what it already answered (a cache per path) is not worked out again.
   */
  private async rules(): Promise<IgnoreRules> {
    const now = await IgnoreRules.load(this.root, this.selection.excluded().map((f) => f.key));
    if (this.lastRules?.sameAs(now)) return this.lastRules;
    this.lastRules = now;
    return now;
  }

  /**
   * The folder is synced only while it holds the database this engine opened: a disk unmounted
   * under it (leaving an empty mount point), or the folder moved, deleted or replaced, stops the
   * sync instead of looking like every file was deleted.
   */
  private async checkFolder(): Promise<void> {
    const now = await identityAt(join(this.root, STATE_FOLDER, STATE_DB_FILE)).catch(() => undefined);
    if (now !== undefined && now.inode === this.database.inode && now.device === this.database.device) return;
    throw new ToteError('SYNC_ROOT_GONE', 'the synced folder is not there any more (a disk unmounted, or the folder moved or deleted): nothing is synced until it is back', {
      subject: this.root,
    });
  }

  /** The plan's operations without the remote deletes the guard holds; the held ones are kept in the folder's state for the user. */
  private holdMassDeletes(operations: Operation[], syncedCount: number): Operation[] {
    const allowed = new Set(this.selection.held().flatMap((h) => (h.allowed ? [h.fileId] : [])));
    const { run, held } = guardDeletes(operations, syncedCount, allowed, this.options.deleteGuard ?? DEFAULT_DELETE_GUARD);
    this.selection.replaceHeld(held);
    if (held.length === 0) {
      this.failures.delete('');
      return run;
    }
    const message = `${held.length} files deleted here would be deleted everywhere; held until you decide: \`tote sync ${this.root} --allow-deletes\` deletes them, \`--restore-deletes\` brings them back here`;
    this.failures.set('', new ToteError('DELETES_HELD', message, { subject: this.root }));
    this.warn('deletes-held', '', message);
    return run;
  }

  /** The account's own files named like the shared folder cannot show here (the name is taken by what others share). */
  private ownOutsideSharedFolder(r: RemoteFile): boolean {
    if (r.shared || this.remoteRoot !== '/' || !inSharedFolder(r.key)) return true;
    this.warn('shared-folder', r.rel, `not synced: "${SHARED_FOLDER}" holds the files others share with you; rename your own folder of that name`);
    return false;
  }

  /**
   * Pulls the change feed only (the daemon's poll); answers how many changes await a pass: remote
   * files changed, plus one when another tote process changed what this folder excludes or holds.
   * The next pass plans with this read instead of reading the feed again: a request less between a
   * local change and its upload, and between a push hint and the download.
   */
  async pull(): Promise<number> {
    const pulled = await this.remote.pull();
    this.pulledBeforePass += pulled;
    this.feedJustRead = true;
    return pulled + (this.selectionChanged() ? 1 : 0);
  }

  /** Whether another tote process changed what this folder excludes or holds since the last plan (a local read). */
  selectionChanged(): boolean {
    return this.selection.version() !== this.plannedSelection;
  }

  /** Ends the engine; a pass under way starts no further operation. */
  close(): void {
    this.closed = true;
    this.state.close();
  }

  /** How long a file must at least have been left alone before it is synced. */
  get settleMs(): number {
    return this.settle.minimumMs;
  }

  reportStatus(state: SyncState, pending: number): void {
    this.emit({ type: 'sync.status', root: this.root, state, pending });
  }

  /** The daemon read the feed, woken for `reasons`. */
  reportPull(reasons: readonly WakeReason[], pulled: number): void {
    this.emit({ type: 'sync.pull', root: this.root, reasons, pulled });
  }

  /** Reports something odd once per code and path for the engine's lifetime. */
  warn(code: string, rel: string, message: string): void {
    const key = `${code}:${rel}`;
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.emit({ type: 'sync.warning', root: this.root, code, path: rel, message });
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  private emit: EventSink = (event) => this.transfer.emit(event);

}

/** Staged downloads a killed run left complete but not placed; resumable temp files stay. */
async function clearStaging(dir: string): Promise<void> {
  for (const name of await readdir(dir)) if (!isTempDownloadName(name)) await rm(join(dir, name), { force: true });
}
