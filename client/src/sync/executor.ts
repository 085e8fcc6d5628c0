/**
 * Carries out one planned operation and records its outcome in the synced tree. Every operation
 * checks its preconditions again right before acting (the plan may be stale by then); an operation
 * whose file changed meanwhile is `skipped` and the next pass decides afresh. Remote operations
 * name the revision they expect, so a remote that moved on refuses them (409) instead of being
 * overwritten; the service's answer is recorded in the remote tree at once, which is what keeps
 * the feed's echo of this device's own change from coming back as a change.
 *
 * Downloads are staged in <root>/.tote/staging (the download engine verifies every chunk and the
 * whole content there) and only then put in place: a new file with a no-clobber link, a replaced one
 * with an atomic rename right after checking the local file is still the synced version.
 *
 * Small transfers (at most BATCH_FILE_MAX_BYTES) go through the batch endpoints when the context has
 * `batches` (batched-transfers.ts): the operation waits for its own file's outcome in the batch, with
 * the same checks before and after. A shared file's edit stays on the single path: the batch start
 * takes the caller's own paths only, and a shared file is edited by its id.
 */
import type { DownloadResponse, FileMetadata } from '@contract/schemas';
import { join } from 'node:path';
import type { Fetch } from '../core/api/http';
import type { Manifest } from '../core/chunking/manifest';
import { toToteError, ToteError, type ToteErrorCode } from '../core/errors';
import { BATCH_FILE_MAX_BYTES } from '../core/transfer/upload-batch';
import type { FileIdentity } from '../localfs/identity';
import type { TransferContext } from '../transfer/context';
import { downloadFile } from '../transfer/download';
import { batchFile } from '../transfer/folder-upload';
import { uploadFile } from '../transfer/upload';
import type { BatchedTransfers } from './batched-transfers';
import { moveFolder } from './folder-move-steps';
import { identityAt, moveNoClobber, occupied, pruneEmptyParents, removeFile, replaceWith, stillExpected } from './guarded-fs';
import { UNKNOWN_IDENTITY, type RemoteFile } from './model';
import type { Expected, Operation, SyncedRecord } from './operations';
import { absolutePath, relativeTo, relKey, remotePathOf } from './paths';
import type { RemoteTree } from './remote-tree';

export interface ExecutorContext {
  readonly root: string;
  readonly remoteRoot: string;
  readonly stagingDir: string;
  readonly transfer: TransferContext;
  readonly remote: RemoteTree;
  /** Where small transfers go in batches; without it every transfer goes on its own. */
  readonly batches?: BatchedTransfers<Staged>;
  /** Crash points for tests: awaited after an operation's effect, before its outcome is recorded. */
  readonly afterEffect?: (op: Operation) => void | Promise<void>;
  /** Folder moves refused this session: the planner moves their files one by one (folder-move-steps.ts). */
  readonly refusedFolderMoves: Set<string>;
}

export type StepResult = 'done' | 'skipped';

/**
 * Failures that mean "the world changed since the plan": the operation is skipped, the next pass
 * (after the change feed says what changed remotely) decides again.
 */
const STALE: ReadonlySet<ToteErrorCode> = new Set<ToteErrorCode>([
  'REVISION_CONFLICT',
  'PATH_CONFLICT',
  'NOT_FOUND',
  'LOCAL_CHANGED',
  'LOCAL_EXISTS',
  'LOCAL_NOT_FOUND',
]);

export async function execute(ctx: ExecutorContext, op: Operation): Promise<StepResult> {
  try {
    return await run(ctx, op);
  } catch (thrown) {
    const error = toToteError(thrown);
    if (STALE.has(error.code)) return 'skipped';
    throw error;
  }
}

async function run(ctx: ExecutorContext, op: Operation): Promise<StepResult> {
  const sync = ctx.transfer.state.sync;
  if (op.type === 'moveFolder') return moveFolder(ctx, op);
  switch (op.side) {
    case 'synced':
      if (op.type === 'record') sync.recordSynced({ ...op.record, identity: op.identity });
      else sync.forgetSynced(op.fileId);
      return 'done';
    case 'remote':
      return runRemote(ctx, op);
    case 'local':
      return runLocal(ctx, op);
  }
}

type RemoteOp = Exclude<Extract<Operation, { side: 'remote' }>, { type: 'moveFolder' }>;
type LocalOp = Exclude<Extract<Operation, { side: 'local' }>, { type: 'moveFolder' }>;

async function runRemote(ctx: ExecutorContext, op: RemoteOp): Promise<StepResult> {
  const { api, state } = ctx.transfer;
  switch (op.type) {
    case 'add':
    case 'edit': {
      const path = absolutePath(ctx.root, op.rel);
      const remotePath = remotePathOf(ctx.remoteRoot, op.rel);
      const before = await identityAt(path);
      if (before === undefined) return 'skipped';
      const file = await upload(ctx, op, path, remotePath, before);
      await ctx.afterEffect?.(op);
      ctx.remote.noteOwnChange(file);
      // The identity seen before the upload stands for the uploaded bytes only if the upload hashed that very file.
      const uploaded = state.localFiles.lookup(path, before)?.contentHash === file.contentHash ? before : UNKNOWN_IDENTITY;
      if (op.type === 'add' && op.replaces !== undefined) state.sync.forgetSynced(op.replaces);
      state.sync.recordSynced({ ...syncedOf(file, ctx.remoteRoot, op.rel), identity: uploaded });
      return 'done';
    }
    case 'delete': {
      // Only while the file is still missing here: one back (restored, or an editor's save completing) is not deleted anywhere.
      if (await occupied(absolutePath(ctx.root, op.rel))) return 'skipped';
      const file = await api.call('deleteFile', { params: { fileId: op.fileId }, query: { expectedRevision: String(op.expectedRevision) } });
      await ctx.afterEffect?.(op);
      ctx.remote.noteOwnChange(file);
      state.sync.forgetSynced(op.fileId);
      return 'done';
    }
    case 'move': {
      const toPath = remotePathOf(ctx.remoteRoot, op.to);
      const file = await api.call('moveFile', { params: { fileId: op.fileId }, body: { toPath, expectedRevision: op.expectedRevision } });
      await ctx.afterEffect?.(op);
      ctx.remote.noteOwnChange(file);
      const now = await identityAt(absolutePath(ctx.root, op.to));
      state.sync.recordSynced({ ...op.record, revision: file.revision, identity: identityFor(now, op.local, op.record) });
      return 'done';
    }
  }
}

async function runLocal(ctx: ExecutorContext, op: LocalOp): Promise<StepResult> {
  const { state, emit } = ctx.transfer;
  switch (op.type) {
    case 'add': {
      const path = absolutePath(ctx.root, op.rel);
      if ((await identityAt(path)) !== undefined) return 'skipped';
      const staged = await stage(ctx, op.file);
      await moveNoClobber(staged.path, path);
      return placed(ctx, op, path, staged);
    }
    case 'edit': {
      const path = absolutePath(ctx.root, op.rel);
      if (!(await stillExpected(state.localFiles, emit, path, op.local))) return 'skipped';
      const staged = await stage(ctx, op.file);
      // Checked again after the download, right before the swap: an edit made meanwhile wins.
      if (!(await stillExpected(state.localFiles, emit, path, op.local))) return 'skipped';
      await replaceWith(staged.path, path);
      return placed(ctx, op, path, staged);
    }
    case 'delete': {
      const path = absolutePath(ctx.root, op.rel);
      if (!(await stillExpected(state.localFiles, emit, path, op.local))) return 'skipped';
      await removeFile(path);
      await ctx.afterEffect?.(op);
      state.sync.forgetSynced(op.fileId);
      state.localFiles.forget(path);
      await pruneEmptyParents(ctx.root, path);
      return 'done';
    }
    case 'move': {
      const from = absolutePath(ctx.root, op.from);
      const to = absolutePath(ctx.root, op.to);
      if (!(await stillExpected(state.localFiles, emit, from, op.local))) return 'skipped';
      // Forgotten first: should the move be cut short, the file is simply new (never a wrong "synced").
      if (op.forget !== undefined) state.sync.forgetSynced(op.forget);
      await moveNoClobber(from, to);
      await ctx.afterEffect?.(op);
      if (op.record) state.sync.recordSynced({ ...op.record, identity: identityFor(await identityAt(to), op.local, op.record) });
      await pruneEmptyParents(ctx.root, from);
      return 'done';
    }
  }
}

type Upload = Extract<RemoteOp, { type: 'add' | 'edit' }>;

/** Uploads the local file as the plan says, replacing nothing but the revision it names (0 for a new file). */
async function upload(ctx: ExecutorContext, op: Upload, path: string, remotePath: string, before: FileIdentity): Promise<FileMetadata> {
  const expectedRevision = op.type === 'add' ? 0 : op.expectedRevision;
  if (ctx.batches && batched(ctx, op) && before.size <= BATCH_FILE_MAX_BYTES) {
    // Judged by the identity just seen: bytes changed since are this file's LOCAL_CHANGED, never uploaded in its name.
    const inBatch = { ...batchFile(ctx.transfer, path, remotePath, before), expectedRevision, ...(op.type === 'edit' ? { expectedFileId: op.fileId } : {}) };
    return (await ctx.batches.upload(inBatch)).file;
  }
  const to = op.type === 'add' ? remotePath : { fileId: op.fileId, label: remotePath };
  return (await uploadFile(ctx.transfer, path, to, { expectedRevision })).file;
}

/**
 * Whether an operation's transfer goes in a batch (the scheduler runs these many at once, since they
 * mostly wait for their batch): small ones, except a revision of a file the batch start cannot name by
 * its path here (a shared file, or one the service spells otherwise).
 */
export function batched(ctx: Pick<ExecutorContext, 'transfer' | 'batches'>, op: Operation): boolean {
  if (!ctx.batches || (op.type !== 'add' && op.type !== 'edit') || transferSize(op) > BATCH_FILE_MAX_BYTES) return false;
  if (op.side === 'local' || op.type === 'add') return true;
  const row = ctx.transfer.state.sync.remoteRow(op.fileId);
  return row !== undefined && !row.shared && row.rel === op.rel;
}

/** The bytes an operation moves over the network (0 for those that move none). */
export function transferSize(op: Operation): number {
  if (op.type !== 'add' && op.type !== 'edit') return 0;
  return op.side === 'local' ? op.file.size : op.local.identity.size;
}

export interface Staged {
  readonly path: string;
  /** The chunk list the download engine recorded for it, to be found under the final path. */
  readonly manifest?: Manifest;
}

/**
 * Downloads a remote file's revision into the staging folder, where the download engine verifies it.
 * A small one comes with its batch, which brings the file's current revision: a revision other than
 * the planned one is stale (the next pass plans with the newer one).
 */
async function stage(ctx: ExecutorContext, file: RemoteFile): Promise<Staged> {
  const path = join(ctx.stagingDir, `${file.fileId}-${file.revision}`);
  if (ctx.batches && file.size <= BATCH_FILE_MAX_BYTES) {
    const run = (page: DownloadResponse, storage: Fetch) => {
      if (page.file.revision !== file.revision) {
        throw new ToteError('REVISION_CONFLICT', `${file.rel} is at revision ${page.file.revision} now, not ${file.revision}`, { subject: file.rel });
      }
      return stageFrom({ ...ctx, transfer: { ...ctx.transfer, fetch: storage } }, file, page.file, path, page);
    };
    return ctx.batches.download({ label: path, fileId: file.fileId, run });
  }
  const current = await ctx.transfer.api.call('getMetadata', { params: { fileId: file.fileId } });
  return stageFrom(ctx, file, current, path);
}

/** Downloads `file` (the planned revision, described by the service as `current`) to `path`, from `firstPage` when a batch brought it. */
async function stageFrom(ctx: ExecutorContext, file: RemoteFile, current: FileMetadata, path: string, firstPage?: DownloadResponse): Promise<Staged> {
  const { state } = ctx.transfer;
  const target: FileMetadata = { ...current, path: remotePathOf(ctx.remoteRoot, file.rel), revision: file.revision, contentHash: file.hash, size: file.size };
  await downloadFile(ctx.transfer, target, path, firstPage);
  const identity = await identityAt(path);
  const manifest = identity && state.localFiles.lookup(path, identity);
  state.localFiles.forget(path);
  return { path, ...(manifest ? { manifest } : {}) };
}

/** A downloaded file is in place: it is synced, and its chunks are known under its real path. */
async function placed(ctx: ExecutorContext, op: Extract<LocalOp, { type: 'add' | 'edit' }>, path: string, staged: Staged): Promise<StepResult> {
  const { state } = ctx.transfer;
  await ctx.afterEffect?.(op);
  const identity = (await identityAt(path)) ?? UNKNOWN_IDENTITY;
  if (staged.manifest && identity !== UNKNOWN_IDENTITY) state.localFiles.record(path, identity, staged.manifest);
  state.sync.recordSynced({ ...op.record, identity });
  return 'done';
}

/** A file's identity stands for `record`'s content only when the operation knew it held that content. */
function identityFor(now: FileIdentity | undefined, local: Expected, record: SyncedRecord): FileIdentity {
  return now !== undefined && local.hash === record.hash ? now : UNKNOWN_IDENTITY;
}

/** The synced record of an upload: at its local path (a shared file's remote path is its owner's, not its place here). */
/**
 * The synced record of an upload's answer, spelled as the service spells the file (it may keep
 * another case of the name: a revision keeps the file's path, a resumed session its first spelling).
 * Recorded with the local spelling at the service's revision, the difference would never be seen;
 * with the service's, the next pass sees a local rename by case and sends it.
 */
function syncedOf(file: FileMetadata, remoteRoot: string, rel: string): SyncedRecord {
  const there = relativeTo(remoteRoot, file.path);
  const spelled = there !== undefined && relKey(there) === relKey(rel) ? there : rel;
  return { fileId: file.fileId, rel: spelled, key: relKey(spelled), revision: file.revision, hash: file.contentHash, size: file.size };
}
