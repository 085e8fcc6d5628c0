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
import { isGlobalError, toToteError, ToteError } from '../core/errors';
import type { EventSink, SyncState, WakeReason } from '../events';
import { sameIdentity, type FileIdentity } from '../localfs/identity';
import { sleep as realSleep } from '../core/retry/retry';
import { STATE_DB_FILE, StateStore } from '../state/store';
import type { SyncSelection } from '../state/sync-selection';
import type { SyncStore } from '../state/sync-state';
import type { TransferContext } from '../transfer/context';
import { isTempDownloadName } from '../transfer/temp-names';
import { BATCH_FILE_MAX_BYTES } from '../core/transfer/upload-batch';
import { blindSpots, FOLDER_SETTLE_MS } from './blind-spots';
import { DEFAULT_DELETE_GUARD, guardDeletes, type DeleteGuardLimits } from './delete-guard';
import { execute, transferSize, type ExecutorContext } from './executor';
import { folderMoveKey } from './folder-moves';
import { IgnoreRules, STATE_FOLDER } from './ignore-rules';
import { contentHash, identityAt } from './guarded-fs';
import { upgradeLegacyHashes } from './hash-upgrade';
import { scanLocal, type ScannedFile } from './local-scan';
import { WriteSettle } from './write-settle';
import type { LocalFile, RemoteFile, SyncedFile } from './model';
import { describe, type Operation } from './operations';
import { conflictedCopyName } from './paths';
import { plan } from './planner';
import { RemoteTree } from './remote-tree';
import { runSchedule, schedule } from './schedule';
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
/**
 * Operations in flight at once. Small files cost round trips, not bandwidth: 16 keeps the link busy
 * through their latency (as the plain S3 baseline's 16 in flight); a large file runs alone (schedule.ts).
 */
const SYNC_CONCURRENCY = 16;
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
  /** Each path's key as the last scan worked it out. */
  private lastKeys?: Map<string, string>;

  private constructor(
    private readonly state: StateStore,
    client: ToteClient,
    private readonly options: SyncEngineOptions & { remoteRoot: string; deviceName: string },
    /** The folder's database file as opened: the folder is only synced while it still holds this very file. */
    private readonly database: FileIdentity,
  ) {
    this.root = options.root;
    this.settle = new WriteSettle(options.settleMs);
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

  /** One pass: pull (unless `pull` just did), scan, hash, plan, execute. */
  async pass(): Promise<PassResult> {
    const started = Date.now();
    await this.checkFolder();
    const pulled = this.pulledBeforePass + (this.feedJustRead ? 0 : await this.remote.pull());
    this.pulledBeforePass = 0;
    this.feedJustRead = false;
    await upgradeLegacyHashes({ root: this.root, store: this.store, localFiles: this.state.localFiles, api: this.transfer.api, emit: this.emit });
    const selection = this.selection.version();
    const before = await this.rules();
    const scan = await scanLocal(this.root, before, this.lastKeys);
    this.lastKeys = new Map(scan.files.map((f) => [f.rel, f.key]));
    for (const w of scan.warnings) this.warn(w.code, w.rel, w.message);
    // Read again after the scan: a rule or exclusion added while it ran also covers what it found missing.
    const after = await this.rules();
    const synced = this.store.syncedFiles();
    const { local, unreadable, settlesAt } = await this.hashed(scan.files, synced);
    const { unseen, replaced, goneSettled } = blindSpots(scan, synced, unreadable, this.now(), this.options.settleMs ?? FOLDER_SETTLE_MS);
    const remote = this.store.remoteFiles().filter((r) => this.ownOutsideSharedFolder(r));
    const today = new Date(this.now());
    const { operations, deferred, held, leaving } = plan({
      synced,
      local,
      remote,
      conflictName: (rel, taken) => conflictedCopyName(rel, this.deviceName, today, taken),
      ignored: (rel) => before.ignores(rel) || (after !== before && after.ignores(rel)) || replaced(rel),
      unseen,
      goneSettled,
      folderMoveRefused: (side, from, to) => this.executor.refusedFolderMoves.has(folderMoveKey(side, from, to)),
    });
    // Recorded before anything runs: once seen outside the synced set, a file never counts as synced here again.
    this.store.forgetSyncedFiles(leaving);
    this.plannedSelection = selection;
    for (const rel of held) this.warn('held', rel, `stays on this device: files added to "${SHARED_FOLDER}" are not uploaded (nobody's files to put them in)`);
    const toRun = this.holdMassDeletes(operations, synced.length - leaving.length);
    if (toRun.length > 0) this.reportStatus('syncing', toRun.length + deferred.length);
    const outcomes = await runSchedule(schedule(toRun), {
      concurrency: SYNC_CONCURRENCY,
      run: (op) => this.apply(op),
      heavy: (op) => transferSize(op) > BATCH_FILE_MAX_BYTES,
      going: () => !this.closed,
    });
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

  private async apply(op: Operation): Promise<'done' | 'skipped' | 'failed'> {
    const path = describe(op);
    try {
      const outcome = await execute(this.executor, op);
      this.failures.delete(path);
      this.emit({ type: 'sync.op', root: this.root, op: op.type, side: op.side, path, outcome });
      if (outcome === 'done' && op.type === 'move' && op.side === 'local' && op.reason !== 'remote') {
        this.emit({ type: 'sync.conflict', root: this.root, path: op.from, copy: op.to, reason: op.reason });
      }
      return outcome;
    } catch (thrown) {
      const error = toToteError(thrown);
      if (isGlobalError(error)) throw error;
      this.failures.set(path, error);
      this.emit({ type: 'sync.error', root: this.root, path, code: error.code, message: error.message, retryInMs: 0 });
      return 'failed';
    }
  }

  /**
   * The scanned files with their content hash where the planner needs it: files that differ from
   * what was synced at their path, once they have stopped changing. Hashes come from the local
   * index when the identity is unchanged since last hashed; a file only renamed (same inode, size
   * and mtime as a synced file) keeps that file's hash without being read again.
   */
  private async hashed(files: readonly ScannedFile[], synced: readonly SyncedFile[]): Promise<{ local: LocalFile[]; unreadable: string[]; settlesAt?: number }> {
    const byKey = new Map(synced.map((s) => [s.key, s]));
    // Only for files that changed: built the first time one did (most passes have none).
    let byInode: Map<string, SyncedFile> | undefined;
    const renamedFrom = (f: ScannedFile) => (byInode ??= new Map(synced.map((s) => [`${s.identity.device}:${s.identity.inode}`, s]))).get(`${f.identity.device}:${f.identity.inode}`);
    const now = this.now();
    const out: LocalFile[] = [];
    const unreadable: string[] = [];
    let settlesAt: number | undefined;
    for (const f of files) {
      const same = byKey.get(f.key);
      if (same && sameIdentity(same.identity, f.identity)) {
        out.push(f);
        continue;
      }
      const changed = {
        key: f.key,
        lastChangeMs: Number((f.identity.mtimeNs > f.identity.ctimeNs ? f.identity.mtimeNs : f.identity.ctimeNs) / 1_000_000n),
        bornMs: f.bornMs ?? 0,
        ...(same ? { syncedMtimeMs: Number(same.identity.mtimeNs / 1_000_000n) } : {}),
      };
      const settles = this.settle.settlesAt(changed);
      if (now < settles) {
        this.settle.stillWriting(changed);
        settlesAt = Math.min(settlesAt ?? Infinity, settles);
        out.push(f);
        continue;
      }
      this.settle.settled(f.key);
      const renamed = renamedFrom(f);
      if (renamed && renamed.identity.mtimeNs === f.identity.mtimeNs && renamed.identity.size === f.identity.size) {
        out.push({ ...f, hash: renamed.hash });
        continue;
      }
      try {
        const hash = await this.hashOf(f);
        out.push(hash === undefined ? f : { ...f, hash });
      } catch (error) {
        const failure = toToteError(error);
        if (failure.code !== 'LOCAL_IO') throw error;
        // Unreadable (permissions, an I/O error): left out of this pass, never taken for deleted.
        this.warn('unreadable', f.rel, `not synced while it cannot be read (${failure.message})`);
        unreadable.push(f.rel);
      }
    }
    return { local: out, unreadable, ...(settlesAt === undefined ? {} : { settlesAt }) };
  }

  private async hashOf(f: ScannedFile): Promise<string | undefined> {
    try {
      return await contentHash(this.state.localFiles, this.emit, join(this.root, ...f.rel.split('/')));
    } catch (error) {
      const code = toToteError(error).code;
      // Changing or vanishing under the reader: still being written, or gone by the next scan.
      if (code === 'LOCAL_CHANGED' || code === 'LOCAL_NOT_FOUND') return undefined;
      throw error;
    }
  }
}

/** Staged downloads a killed run left complete but not placed; resumable temp files stay. */
async function clearStaging(dir: string): Promise<void> {
  for (const name of await readdir(dir)) if (!isTempDownloadName(name)) await rm(join(dir, name), { force: true });
}
