/**
 * Carries out a whole-folder move (folder-moves.ts plans them). Either way, what was expected is
 * checked first and a move that no longer fits is refused: it is remembered in `refused`, the
 * operation is skipped, and the next pass moves the files one by one. Nothing is lost either way.
 *
 * - `remote`: one POST /folders/move (sent again while the service answers 202, not done). The
 *   service moves whatever the folder holds, so what it did is read from the change feed right
 *   after (the feed is read in journal order, so the move's entry lands on the rows before anything
 *   this device puts under the old name later); each file the feed shows moved as expected
 *   (revision up by one, same content, at its new place) is recorded synced, any other is decided
 *   again next pass.
 * - `local`: one rename of the directory, only while the directory still holds exactly the synced
 *   files (each with the identity the plan saw, nothing else but folders) and nothing is at the
 *   destination, both checked right before the rename. A rename never replaces a file, and fails on
 *   a folder that holds anything, so no bytes can be overwritten.
 */
import { lstat, readdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { toToteError, type ToteErrorCode } from '../core/errors';
import { fsError, onDisk } from '../localfs/errors';
import { sameIdentity, type FileIdentity } from '../localfs/identity';
import type { TransferContext } from '../transfer/context';
import { folderMoveKey } from './folder-moves';
import { identityAt, makeParents, occupied, pruneEmptyParents } from './guarded-fs';
import { UNKNOWN_IDENTITY, type SyncedFile } from './model';
import type { FolderMember, Operation } from './operations';
import { absolutePath, relKey, remotePathOf } from './paths';
import type { RemoteTree } from './remote-tree';

export type FolderMoveOp = Extract<Operation, { type: 'moveFolder' }>;

export interface FolderMoveContext {
  readonly root: string;
  readonly remoteRoot: string;
  readonly transfer: TransferContext;
  readonly remote: RemoteTree;
  /** Folder moves refused this session (folderMoveKey): the planner moves their files one by one. */
  readonly refusedFolderMoves: Set<string>;
  readonly afterEffect?: (op: Operation) => void | Promise<void>;
}

/** The service's answers that mean "not as one folder move": busy, taken, gone, or into itself. */
const REFUSALS: ReadonlySet<ToteErrorCode> = new Set<ToteErrorCode>(['FOLDER_BUSY', 'PATH_CONFLICT', 'NOT_FOUND', 'MOVE_INTO_ITSELF']);

export async function moveFolder(ctx: FolderMoveContext, op: FolderMoveOp): Promise<'done' | 'skipped'> {
  return op.side === 'remote' ? sendFolderMove(ctx, op) : applyFolderMove(ctx, op);
}

function refuse(ctx: FolderMoveContext, op: FolderMoveOp): 'skipped' {
  ctx.refusedFolderMoves.add(folderMoveKey(op.side, op.from, op.to));
  return 'skipped';
}

async function sendFolderMove(ctx: FolderMoveContext, op: FolderMoveOp): Promise<'done' | 'skipped'> {
  const { api, state } = ctx.transfer;
  const body = { fromPath: remotePathOf(ctx.remoteRoot, op.from), toPath: remotePathOf(ctx.remoteRoot, op.to) };
  try {
    while (!(await api.call('moveFolder', { body })).done);
  } catch (thrown) {
    if (REFUSALS.has(toToteError(thrown).code)) return refuse(ctx, op);
    throw thrown;
  }
  await ctx.afterEffect?.(op);
  await ctx.remote.pull();
  const records: SyncedFile[] = [];
  for (const m of op.files) {
    const row = state.sync.remoteRow(m.fileId);
    if (!row?.live || row.revision !== m.revision + 1 || row.hash !== m.record.hash || row.key !== relKey(m.to)) continue;
    const now = await identityAt(absolutePath(ctx.root, m.to));
    records.push({ ...m.record, revision: row.revision, identity: stillTheSame(now, m) ? now! : UNKNOWN_IDENTITY });
  }
  state.sync.recordSyncedFiles(records);
  return 'done';
}

async function applyFolderMove(ctx: FolderMoveContext, op: FolderMoveOp): Promise<'done' | 'skipped'> {
  const from = absolutePath(ctx.root, op.from);
  const to = absolutePath(ctx.root, op.to);
  if (!(await holdsExactly(from, op)) || (await occupied(to))) return refuse(ctx, op);
  await makeParents(to);
  // Checked again right before the rename: a file or folder made there meanwhile stays untouched.
  if (await occupied(to)) return refuse(ctx, op);
  await onDisk(to, () => rename(from, to));
  await ctx.afterEffect?.(op);
  // Renaming a directory leaves the files in it as they were (inode, times): their identities stand.
  ctx.transfer.state.sync.recordSyncedFiles(op.files.map((m) => ({ ...m.record, identity: m.local.identity })));
  await pruneEmptyParents(ctx.root, from);
  return 'done';
}

/** A file's identity stands for the synced content when it is the one the plan saw holding it. */
const stillTheSame = (now: FileIdentity | undefined, m: FolderMember): boolean => now !== undefined && sameIdentity(now, m.local.identity) && m.local.hash === m.record.hash;

/** Whether the directory holds the folder move's files as the plan saw them, and nothing else but folders. */
async function holdsExactly(dir: string, op: FolderMoveOp): Promise<boolean> {
  const stat = await lstat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) return false;
  const expected = new Map(op.files.map((m) => [absolutePath(dir, m.from.slice(op.from.length + 1)), m.local.identity]));
  let seen = 0;
  const folders = [dir];
  while (folders.length > 0) {
    const folder = folders.pop() as string;
    let names;
    try {
      names = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return false;
      throw fsError(error, folder);
    }
    for (const entry of names) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        folders.push(path);
        continue;
      }
      const identity = expected.get(path);
      if (!entry.isFile() || identity === undefined) return false;
      const now = await identityAt(path);
      if (now === undefined || !sameIdentity(now, identity)) return false;
      seen++;
    }
  }
  return seen === expected.size;
}
