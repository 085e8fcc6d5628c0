/**
 * The Tote client as a library: everything the CLI does, callable in-process (the CLI, the
 * integration tests and later the sync daemon all drive this). Work is reported through events;
 * nothing here prints.
 */
import { LIMITS } from '@contract/limits';
import type {
  Collaborator,
  CollaboratorsResponse,
  DeleteFileResponse,
  FileMetadata,
  FolderChangeResponse,
  FolderEntry,
  MakeFolderResponse,
  RestoredFile,
  ShareRole,
  SharedFileEntry,
  TrashEntry,
} from '@contract/schemas';
import { basename, dirname, resolve } from 'node:path';
import { ApiClient } from './core/api/client';
import type { Fetch } from './core/api/http';
import { Account, type LoginResult } from './auth/account';
import { CognitoGateway, type ConfirmResult, type SignUpResult } from './auth/cognito';
import { CredentialsStore, type AuthDiscovery } from './auth/credentials';
import { AuthSession } from './auth/session';
import { defaultDeviceName } from './config/device';
import { defaultConfigDir, defaultStateDir } from './config/dirs';
import { resolveEndpoint } from './config/endpoint';
import { resolvePacks } from './config/packs';
import { readSettings } from './config/settings';
import { hasCode, toToteError, ToteError, type ToteErrorCode } from './core/errors';
import type { EventSink, ToteEvent } from './events';
import { PushChannel } from './push/channel';
import { wsSockets } from './push/socket';
import { entryAt, statEntry } from './localfs/identity';
import { StateStore } from './state/store';
import { DEFAULT_TRANSFER_TUNING } from './core/transfer/environment';
import type { TransferContext } from './transfer/context';
import { downloadFile, type DownloadResult } from './transfer/download';
import { downloadFolder, type FolderDownload } from './transfer/folder-download';
import { uploadFolder } from './transfer/folder-upload';
import { remotePathOf, uploadFile, type RevisionTarget, type UploadResult } from './transfer/upload';
import { isSharedRef } from './sharing/refs';
import { collaborators, resolveShared, sharedWithMe, shareFile, unshareFile } from './sharing/shares';
import * as recovery from './recovery/recovery';
import type { VersionHistory } from './recovery/recovery';

export interface ToteClientOptions {
  /** Beats TOTE_ENDPOINT and the endpoint saved by login; the local runtime when nothing is set. */
  readonly endpoint?: string;
  /** Settings and credentials; default TOTE_CONFIG_DIR, $XDG_CONFIG_HOME/tote or ~/.config/tote. */
  readonly configDir?: string;
  /** Local SQLite state; default TOTE_STATE_DIR, $XDG_STATE_HOME/tote or ~/.local/state/tote. */
  readonly stateDir?: string;
  /** Parallel chunk transfers (default 8). */
  readonly concurrency?: number;
  /** How long a commit waits for sent chunks to be registered (default 30 s). */
  readonly commitPatienceMs?: number;
  /** A chunk transfer that stalls fails after this plus time for its bytes at 256 KiB/s (default 30 s). */
  readonly stallFloorMs?: number;
  /** Environment to read TOTE_* and XDG_* from (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly fetch?: Fetch;
  /** Waits between retries and polls; simulations and tests replace it to control time. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Whether small files' content goes up in packs (default TOTE_PACKS on/off, else on: config/packs.ts). */
  readonly packs?: boolean;
  readonly onEvent?: EventSink;
  /** This device's name in the history of what it changes (default TOTE_DEVICE, else the host name). */
  readonly deviceName?: string;
}

export interface PutFailure {
  readonly localPath: string;
  readonly code: ToteErrorCode;
  readonly message: string;
}

export interface PutSummary {
  readonly files: readonly UploadResult[];
  /** Files of a folder upload that failed on their own; the others went up. */
  readonly failed: readonly PutFailure[];
  readonly bytesSent: number;
  readonly chunksSent: number;
  readonly chunksSkipped: number;
}

export interface GetOptions {
  /** Replace an existing local file (default: refuse). */
  readonly overwrite?: boolean;
}

/**
 * `id:<fileId>` names a file by id, `shared:<name>` or `shared:<owner-email>/<name>` a file someone
 * shared with you (see sharing/refs.ts); anything else is a path of your own files.
 */
export type RemoteRef = string;

/** Refs that name an existing file rather than a path of your own: an upload to one is its next revision. */
const namesExistingFile = (remote: string) => remote.startsWith('id:') || isSharedRef(remote);

export async function createToteClient(options: ToteClientOptions = {}): Promise<ToteClient> {
  const env = options.env ?? process.env;
  const configDir = options.configDir ?? defaultConfigDir(env);
  const settings = await readSettings(configDir);
  const endpoint = resolveEndpoint({ flag: options.endpoint, env: env.TOTE_ENDPOINT, config: settings.endpoint });
  const packs = resolvePacks(options.packs, env.TOTE_PACKS);
  return new ToteClient({ ...options, endpoint, configDir, packs, stateDir: options.stateDir ?? defaultStateDir(env) });
}

interface ResolvedOptions extends ToteClientOptions {
  readonly endpoint: string;
  readonly configDir: string;
  readonly stateDir: string;
}

export class ToteClient {
  readonly endpoint: string;
  private readonly listeners = new Set<EventSink>();
  private readonly api: ApiClient;
  private readonly account: Account;
  private readonly tokens: AuthSession;
  private state?: StateStore;
  private pushChannel?: PushChannel;

  constructor(private readonly options: ResolvedOptions) {
    const concurrency = options.concurrency;
    if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1 && concurrency <= 64)) {
      throw new ToteError('USAGE', `concurrency must be a whole number from 1 to 64 (got ${concurrency})`);
    }
    this.endpoint = options.endpoint;
    if (options.onEvent) this.listeners.add(options.onEvent);
    const store = new CredentialsStore(options.configDir);
    const gateway = (auth: AuthDiscovery) => new CognitoGateway(auth);
    this.tokens = new AuthSession({ endpoint: this.endpoint, store, gateway });
    this.api = new ApiClient({
      endpoint: this.endpoint,
      tokens: this.tokens,
      fetch: options.fetch,
      sleep: options.sleep,
      device: options.deviceName ?? defaultDeviceName(options.env ?? process.env),
      onRetry: (route, error, attempt, delayMs) =>
        this.emit({ type: 'retry', operation: route, code: error.code, message: error.message, attempt, delayMs }),
    });
    this.account = new Account({ api: this.api, configDir: options.configDir, store, gateway });
  }

  /** The local state folder of this client (where `tote status` finds the synced folders). */
  get stateDir(): string {
    return this.options.stateDir;
  }

  /** Adds a listener for engine events; returns a function that removes it. */
  subscribe(listener: EventSink): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  signup(email: string, password: string): Promise<SignUpResult> {
    return this.account.signUp(email, password);
  }

  confirm(email: string, code: string): Promise<ConfirmResult> {
    return this.account.confirm(email, code);
  }

  login(email: string, password: string): Promise<LoginResult> {
    return this.account.login(email, password);
  }

  /** Forgets this endpoint's tokens; false when there were none. */
  logout(): Promise<boolean> {
    return this.account.logout();
  }

  /**
   * Uploads a file, or every file under a folder. `remote` defaults to `/<basename>`; a remote
   * ending in `/` is a folder to put the file into. A remote naming an existing file (`id:` or
   * `shared:`) gets the file as its next revision: how an editor updates a file shared with them.
   */
  async put(local: string, remote?: RemoteRef): Promise<PutSummary> {
    const localPath = resolve(local);
    const entry = await statEntry(localPath);
    if (remote !== undefined && namesExistingFile(remote)) {
      if (!entry.isFile) throw new ToteError('USAGE', `${remote} names one file: put a file there, not a folder`, { subject: localPath });
      const file = await this.resolveFile(remote);
      const revision: RevisionTarget = { fileId: file.fileId, label: remote };
      return summarize([await this.guard(remote, () => uploadFile(this.transferContext(), localPath, revision))], []);
    }
    const target = remoteTarget(remote, basename(localPath));
    if (entry.isDirectory) return this.putFolder(localPath, target);
    if (!entry.isFile) throw new ToteError('LOCAL_IO', 'not a regular file', { subject: localPath });
    const result = await this.uploadOne(localPath, target);
    return summarize([result], []);
  }

  /** Downloads a file; `local` defaults to its name in the current folder, or names a folder to put it in. */
  async get(remote: RemoteRef, local?: string, options: GetOptions = {}): Promise<DownloadResult> {
    const file = await this.resolveFile(remote);
    const dest = await destinationFor(local, file.name);
    const folder = await entryAt(dirname(dest));
    if (!folder?.isDirectory) throw new ToteError('LOCAL_NOT_FOUND', 'no such folder to download into', { subject: dirname(dest) });
    const existing = await entryAt(dest);
    if (existing?.isDirectory) throw new ToteError('LOCAL_EXISTS', 'is a directory', { subject: dest });
    if (existing && !options.overwrite) throw new ToteError('LOCAL_EXISTS', 'already exists; pass --force to replace it', { subject: dest });
    return this.guard(file.path, () => downloadFile(this.transferContext(), file, dest));
  }

  /**
   * Downloads every file under a remote folder of your own, in batches. `local` defaults to the
   * folder's name in the current folder, or names an existing folder to put it into. Files that fail
   * on their own (one in the way locally, one refused) are reported in the answer; the others go on.
   */
  async getFolder(remote: string, local?: string, options: GetOptions = {}): Promise<FolderDownload & { remotePath: string; localPath: string }> {
    const path = remotePathOf(remote);
    const listing = await this.guard(path, () => this.api.call('listFolder', { query: { path, limit: '1' } }));
    const dest = listing.path === '/' ? resolve(local ?? '.') : await destinationFor(local, basename(listing.path));
    const existing = await entryAt(dest);
    if (existing && !existing.isDirectory) throw new ToteError('LOCAL_EXISTS', 'is a file, not a folder', { subject: dest });
    const result = await this.guard(listing.path, () => downloadFolder(this.transferContext(), listing.path, dest, options));
    return { ...result, remotePath: listing.path, localPath: dest };
  }

  /** Every entry of a remote folder (all pages). */
  async ls(folder = '/'): Promise<FolderEntry[]> {
    const path = remotePathOf(folder);
    const entries: FolderEntry[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.guard(path, () =>
        this.api.call('listFolder', { query: { path, cursor, limit: String(LIMITS.listPageMax) } }),
      );
      entries.push(...page.entries);
      cursor = page.cursor;
    } while (cursor);
    return entries;
  }

  /**
   * Moves a file to the trash (the revision seen is the one deleted: a concurrent change makes this
   * fail, not vanish); the answer says until when it can be restored.
   */
  async rm(remote: RemoteRef): Promise<DeleteFileResponse> {
    const file = await this.resolveFile(remote);
    return this.guard(file.path, () =>
      this.api.call('deleteFile', { params: { fileId: file.fileId }, query: { expectedRevision: String(file.revision) } }),
    );
  }

  /** Moves or renames a file; a destination ending in `/` is a folder to move it into. */
  async mv(from: RemoteRef, to: string): Promise<FileMetadata> {
    const file = await this.resolveFile(from);
    const toPath = remotePathOf(remoteTarget(to, file.name));
    return this.guard(file.path, () =>
      this.api.call('moveFile', { params: { fileId: file.fileId }, body: { toPath, expectedRevision: file.revision } }),
    );
  }

  /** Creates a remote folder (and the folders above it); an existing folder is no error. */
  async mkdir(path: string): Promise<MakeFolderResponse> {
    const remote = remotePathOf(path);
    return this.guard(remote, () => this.api.call('makeFolder', { body: { path: remote } }));
  }

  /**
   * Moves or renames a remote folder with everything in it: one request, repeated while the service
   * says it is not done yet (a very large folder). A destination ending in `/` is a folder to move it into.
   */
  async mvFolder(from: string, to: string): Promise<FolderChangeResponse> {
    const fromPath = remotePathOf(from);
    const toPath = remotePathOf(remoteTarget(to, basename(fromPath)));
    return this.untilDone(fromPath, () => this.api.call('moveFolder', { body: { fromPath, toPath } }));
  }

  /** Moves a remote folder's files to the trash as one group (tote restore brings them back together) and removes the folder. */
  async rmFolder(path: string): Promise<FolderChangeResponse> {
    const remote = remotePathOf(path);
    return this.untilDone(remote, () => this.api.call('deleteFolder', { body: { path: remote } }));
  }

  /** Sends the same folder request until the service says it is done; the answer counts the files of every round. */
  private async untilDone(subject: string, send: () => Promise<FolderChangeResponse>): Promise<FolderChangeResponse> {
    let files = 0;
    for (;;) {
      const answer = await this.guard(subject, send);
      files += answer.files;
      if (answer.done) return { ...answer, files };
    }
  }

  /** Shares a file of yours with people by email as viewer or editor; sharing again changes the role. */
  async share(remote: RemoteRef, emails: readonly string[], role: ShareRole): Promise<CollaboratorsResponse> {
    const file = await this.resolveFile(remote);
    return this.guard(remote, () => shareFile(this.api, file, emails, role));
  }

  /** Stops sharing a file of yours with people; nothing changes when one of them has no share. */
  async unshare(remote: RemoteRef, emails: readonly string[]): Promise<Collaborator[]> {
    const file = await this.resolveFile(remote);
    return this.guard(remote, () => unshareFile(this.api, file, emails));
  }

  /** Everyone a file of yours is shared with. */
  async collaborators(remote: RemoteRef): Promise<Collaborator[]> {
    const file = await this.resolveFile(remote);
    return this.guard(remote, () => collaborators(this.api, file));
  }

  /** Every file others shared with you, with its owner and your role. */
  shared(): Promise<SharedFileEntry[]> {
    return this.guard('shared', () => sharedWithMe(this.api));
  }

  /** A file's versions, newest first (anyone who may read it). */
  async versions(remote: RemoteRef): Promise<VersionHistory> {
    const file = await this.resolveFile(remote);
    return this.guard(remote, () => recovery.versionsOf(this.api, file.fileId));
  }

  /** Makes an earlier version the file's content again, as its next revision (no bytes are sent). */
  async restoreVersion(remote: RemoteRef, revision: number): Promise<FileMetadata> {
    const file = await this.resolveFile(remote);
    return this.guard(remote, () => recovery.restoreVersion(this.api, file, revision));
  }

  /** Everything in your trash, newest deletion first. */
  trash(): Promise<TrashEntry[]> {
    return this.guard('trash', () => recovery.trashEntries(this.api));
  }

  /**
   * Brings back the file last deleted from `remote` (a path, or `id:<fileId>`): at that path, or beside
   * it as `name (restored).ext` when the path is taken meanwhile.
   */
  async restore(remote: RemoteRef): Promise<RestoredFile> {
    const path = remote.startsWith('id:') ? undefined : remotePathOf(remote);
    const subject = path ?? remote;
    const [newest] = await this.guard(subject, () => recovery.trashedAt(this.api, remote, path));
    return this.guard(subject, () => recovery.restoreTrashed(this.api, newest));
  }

  /** Deletes for good what the trash holds from `remote` (every deletion of that path), or, without it, everything in it. */
  async purge(remote?: RemoteRef): Promise<number> {
    if (remote === undefined) return this.guard('trash', () => recovery.purgeAll(this.api, (e) => this.emit(e)));
    const path = remote.startsWith('id:') ? undefined : remotePathOf(remote);
    return this.guard(path ?? remote, async () => recovery.purgeTrashed(this.api, await recovery.trashedAt(this.api, remote, path)));
  }

  /**
   * The push channel of this account at this endpoint: one WebSocket however many listeners (sync
   * daemons) it has, open while it has any.
   */
  push(): PushChannel {
    this.pushChannel ??= new PushChannel({
      discover: async () => (await this.api.call('health', {})).push?.url,
      tokens: this.tokens,
      sockets: wsSockets,
      emit: (e) => this.emit(e),
    });
    return this.pushChannel;
  }

  /** Closes the local state database (a later transfer opens it again). Call before the process exits. */
  close(): void {
    this.state?.close();
    this.state = undefined;
  }

  private emit(event: ToteEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private async putFolder(root: string, remoteRoot: string): Promise<PutSummary> {
    const { results, failed } = await this.guard(remoteRoot, () => uploadFolder(this.transferContext(), root, remoteRoot));
    return summarize(results, failed);
  }

  private uploadOne(localPath: string, remote: string): Promise<UploadResult> {
    return this.guard(remote, () => uploadFile(this.transferContext(), localPath, remote));
  }

  private async resolveFile(remote: RemoteRef): Promise<FileMetadata> {
    if (isSharedRef(remote)) return this.guard(remote, () => resolveShared(this.api, remote));
    const byId = /^id:(.+)$/.exec(remote);
    const subject = byId ? remote : remotePathOf(remote);
    try {
      if (byId) return await this.api.call('getMetadata', { params: { fileId: byId[1] } });
      return await this.api.call('lookupPath', { query: { path: subject } });
    } catch (error) {
      if (!hasCode(error, 'NOT_FOUND')) throw toToteError(error).about(subject);
      if (!byId && (await this.isFolder(subject))) throw new ToteError('IS_A_FOLDER', 'is a folder, not a file', { subject });
      throw new ToteError('NOT_FOUND', 'not found', { subject, status: 404 });
    }
  }

  /** Whether a folder (empty or not) is at `path`. */
  private async isFolder(path: string): Promise<boolean> {
    try {
      await this.api.call('listFolder', { query: { path, limit: '1' } });
      return true;
    } catch (error) {
      if (hasCode(error, 'NOT_FOUND')) return false;
      throw toToteError(error).about(path);
    }
  }

  /** Runs `operation`, naming `subject` in any error it throws. */
  private async guard<T>(subject: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw toToteError(error).about(subject);
    }
  }

  /**
   * The API and the transfer engines over another local state than this client's own: the sync
   * engine keeps each synced folder's state in that folder (<folder>/.tote/) and works through
   * this, sharing the client's session, tuning and event listeners, under the folder's own device name.
   */
  transferContextWith(state: StateStore, deviceName?: string): TransferContext {
    return {
      api: deviceName === undefined ? this.api : this.api.withDevice(deviceName),
      state,
      emit: (e) => this.emit(e),
      fetch: this.options.fetch ?? fetch,
      concurrency: this.options.concurrency ?? DEFAULT_TRANSFER_TUNING.concurrency,
      attempts: DEFAULT_TRANSFER_TUNING.attempts,
      commitPatienceMs: this.options.commitPatienceMs ?? DEFAULT_TRANSFER_TUNING.commitPatienceMs,
      stallFloorMs: this.options.stallFloorMs ?? DEFAULT_TRANSFER_TUNING.stallFloorMs,
      sleep: this.options.sleep,
      packs: this.options.packs,
    };
  }

  private transferContext(): TransferContext {
    this.state ??= StateStore.open(this.options.stateDir);
    return this.transferContextWith(this.state);
  }
}

/** Where a download goes: `local` as given, or inside it when it is (or ends like) a folder. */
async function destinationFor(local: string | undefined, name: string): Promise<string> {
  if (local === undefined) return resolve(name);
  if (local.endsWith('/') || (await entryAt(local))?.isDirectory) return resolve(local, name);
  return resolve(local);
}

/** A remote given by the user, defaulting to `/<name>` and completing a trailing `/` with the name. */
function remoteTarget(remote: string | undefined, name: string): string {
  if (remote === undefined || remote === '') return `/${name}`;
  return remote.endsWith('/') ? `${remote}${name}` : remote;
}

function summarize(files: UploadResult[], failed: PutFailure[]): PutSummary {
  return {
    files,
    failed,
    bytesSent: files.reduce((n, f) => n + f.bytesSent, 0),
    chunksSent: files.reduce((n, f) => n + f.chunksSent, 0),
    chunksSkipped: files.reduce((n, f) => n + f.chunksSkipped, 0),
  };
}
