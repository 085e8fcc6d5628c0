/**
 * Folders as one operation: create, move (rename), delete. Design in lambdas/README.md ("Folders").
 *
 * Files keep their absolute path in their items, so a folder move or delete rewrites every file
 * under the folder. That happens inside the one request, in parallel bounded transactions, while a
 * mark on the folder (and on a move's destination) refuses every other change inside them
 * (FOLDER_BUSY: the `upsertFolders` guard every commit, move and restore carries). Then ONE journal
 * entry (`moveFolder` / `deleteFolder`) tells devices, in the transaction that removes the mark and
 * is guarded by the journal counter read before the last look at the folder, so the entry stands
 * exactly for "everything that was under it". A request that runs out of time answers 202 `done:
 * false`; the same request sent again carries on from where the folder is (the marks say which move
 * or delete it belongs to). Each file's revision goes up by one, with its revision item, so every
 * writer's revision guard sees the change and devices can apply the entry without per-file data.
 */
import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { ancestorFolders, baseName, pathKey } from '@contract/paths';
import type { DeleteFolderRequest, FolderChangeResponse, MakeFolderRequest, MakeFolderResponse, MoveFolderRequest } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { folderBusy, moveIntoItself, notFound, pathConflict } from '@shared/errors';
import type { FolderRepository } from '@repo/folders';
import type { FileState, FolderEntry, FolderJournalEntry, PathEntry } from '@repo/items';
import type { ShareRepository } from '@repo/shares';
import type { TrashRepository } from '@repo/trash';
import type { TaggedItem } from '@repo/transact';
import { applyChange, authorship, stateItems, type ChangeDeps } from './changes';
import { trashEntry } from './mutations';
import { folderPath } from './paths';

export interface FolderDeps extends ChangeDeps {
  readonly folders: FolderRepository;
}

export interface FolderDeleteDeps extends FolderDeps {
  readonly trash: TrashRepository;
  readonly shares: ShareRepository;
}

/** A request stops starting new work after this long and answers `done: false` (API Gateway allows 29 s). */
export const FOLDER_BUDGET_MS = 20_000;
/** Files per transaction: four items each (file, revision, old path, new path or trash entry), DynamoDB allows 100. */
const FILES_PER_TRANSACTION = 25;
/** Transactions in flight at once. */
const TRANSACTIONS_IN_FLIGHT = 8;

const isMarked = (entry: FolderEntry) => (entry.movingTo ?? entry.movingFrom ?? entry.deleting) !== undefined;

/** Creates the folder and its ancestors; an existing folder is answered as it is. */
export async function makeFolder(deps: ChangeDeps, caller: Caller, req: MakeFolderRequest): Promise<MakeFolderResponse> {
  const path = folderPath(req.path);
  return applyChange(deps, async () => {
    const existing = await deps.files.getPathEntry(caller.userId, path);
    if (existing?.kind === 'file') throw pathConflict(`${existing.path} is a file`, existing.path);
    if (existing !== undefined) return { result: { kind: 'folder', path: existing.path, name: existing.name } };
    return { write: deps.files.upsertFolders(caller.userId, [...ancestorFolders(path), path]), result: { kind: 'folder', path, name: baseName(path) } };
  });
}

/** The folder at `path` of the caller's namespace, or 404. */
async function existingFolder(deps: FolderDeps, ownerId: string, path: string): Promise<FolderEntry> {
  const entry = await deps.files.getPathEntry(ownerId, path);
  if (entry === undefined) throw notFound(`no folder at ${path}`);
  if (entry.kind === 'file') throw notFound(`${entry.path} is a file, not a folder`);
  return entry;
}

/** What one folder move or delete does, for the loop they share (runFolderJob). */
interface FolderJob {
  readonly ownerId: string;
  /** The folder whose subtree is worked through. */
  readonly folder: string;
  /** Entries under the folder still to do. */
  readonly pending: (entry: PathEntry) => boolean;
  /** Does one transaction's worth of entries; answers how many files it did (0 when a guard failed). */
  readonly step: (entries: readonly PathEntry[]) => Promise<number>;
  /** The journal entry, and the items that end the job with it. */
  readonly finish: (seq: number, at: string) => { entry: FolderJournalEntry; items: TaggedItem[] };
  /** True when the job's mark is gone: another request of the same job finished it. */
  readonly finishedElsewhere: () => Promise<boolean>;
}

async function runFolderJob(deps: FolderDeps, job: FolderJob, clock: () => number): Promise<{ done: boolean; files: number }> {
  const deadline = clock() + FOLDER_BUDGET_MS;
  let files = 0;
  for (;;) {
    // The counter is read before the last look at the folder: a change inside it after that fails the end.
    const lastSeq = await deps.journal.lastSeq(job.ownerId);
    const left = (await deps.folders.descendants(job.ownerId, job.folder)).filter(job.pending);
    const busy = left.find((e) => e.kind === 'folder' && isMarked(e));
    if (busy !== undefined) throw folderBusy(busy.path);
    if (left.length === 0) {
      const end = job.finish(lastSeq + 1, new Date(clock()).toISOString());
      const outcome = await deps.transactions.write([...deps.journal.append(job.ownerId, lastSeq, end.entry), ...end.items]);
      if (outcome.ok || (await job.finishedElsewhere())) return { done: true, files };
    } else {
      files += await inTransactions(left, job.step, deadline, clock);
    }
    if (clock() >= deadline) return { done: false, files };
  }
}

/** Runs `step` over `entries` a transaction's worth at a time, several at once, until done or out of time. */
async function inTransactions(entries: readonly PathEntry[], step: FolderJob['step'], deadline: number, clock: () => number): Promise<number> {
  const groups: PathEntry[][] = [];
  for (let i = 0; i < entries.length; i += FILES_PER_TRANSACTION) groups.push(entries.slice(i, i + FILES_PER_TRANSACTION));
  const limit = pLimit(TRANSACTIONS_IN_FLIGHT);
  const counts = await Promise.all(groups.map((group) => limit(async () => (clock() < deadline ? step(group) : 0))));
  return counts.reduce((a, b) => a + b, 0);
}

/** The live files behind `entries` that are still where their entry says (one read for the group). */
async function filesAt(deps: ChangeDeps, entries: readonly PathEntry[]): Promise<FileState[]> {
  const fileEntries = entries.filter((e) => e.kind === 'file');
  const files = await deps.files.getFiles(fileEntries.map((e) => e.fileId));
  return fileEntries.flatMap((e) => {
    const file = files.get(e.fileId);
    return file !== undefined && file.status === 'uploaded' && file.path === e.path ? [file] : [];
  });
}

/** `path` (below `from`, whose depth is `depth`) as it is once `from` is `to`. */
function movedPath(path: string, depth: number, to: string): string {
  return [to, ...path.split('/').slice(depth + 1)].join('/');
}

/**
 * Moves or renames a folder with everything in it. The destination must not exist (a change of case
 * only is a rename in place); a folder cannot go inside itself.
 */
export async function moveFolder(deps: FolderDeps, caller: Caller, req: MoveFolderRequest, clock: () => number = Date.now): Promise<FolderChangeResponse> {
  const ownerId = caller.userId;
  const from = folderPath(req.fromPath);
  const to = folderPath(req.toPath);
  const sameKey = pathKey(from) === pathKey(to);
  if (!sameKey && pathKey(to).startsWith(`${pathKey(from)}/`)) throw moveIntoItself(from, to);
  const source = await existingFolder(deps, ownerId, from);
  if (source.movingTo !== to) {
    if (isMarked(source)) throw folderBusy(source.path);
    if (source.path === to) return { path: to, fromPath: from, done: true, files: 0 };
    await markMove(deps, ownerId, from, to, sameKey);
  }
  const depth = from.split('/').length - 1;
  const now = () => new Date(clock());
  const { done, files } = await runFolderJob(
    deps,
    {
      ownerId,
      folder: from,
      // A change of case only leaves every key where it is: what already has the new spelling is done.
      pending: (e) => !sameKey || !e.path.startsWith(`${to}/`),
      step: async (entries) => {
        const moving = await filesAt(deps, entries);
        const items = moving.flatMap((file) => {
          const path = movedPath(file.path, depth, to);
          const next: FileState = { ...file, path, name: baseName(path), revision: file.revision + 1, ...authorship(caller, now()) };
          return [
            ...stateItems(deps, { type: 'move', previous: file, next, fromPath: file.path }),
            ...(sameKey ? [] : [deps.files.deleteFilePath(ownerId, file.path, file.fileId)]),
            deps.files.putFilePath(next),
          ];
        });
        const folders = entries.filter((e) => e.kind === 'folder').flatMap((e) => [
          deps.folders.putFolder(ownerId, movedPath(e.path, depth, to)),
          ...(sameKey ? [] : [deps.folders.removeFolder(ownerId, e.path)]),
        ]);
        if (items.length + folders.length === 0) return 0;
        const outcome = await deps.transactions.write([...items, ...folders]);
        return outcome.ok ? moving.length : 0;
      },
      finish: (seq, at) => ({
        entry: { seq, type: 'moveFolder', path: to, fromPath: from, at },
        items: sameKey
          ? [deps.folders.unmarkDestination(ownerId, to, 'movingTo', to)]
          : [deps.folders.removeMarked(ownerId, from, 'movingTo', to), deps.folders.unmarkDestination(ownerId, to, 'movingFrom', from)],
      }),
      finishedElsewhere: async () => {
        const entry = await deps.files.getPathEntry(ownerId, from);
        return entry?.kind !== 'folder' || entry.movingTo === undefined;
      },
    },
    clock,
  );
  return { path: to, fromPath: from, done, files };
}

/** Marks the source and makes the destination (with its ancestors), in one transaction; explains a refusal. */
async function markMove(deps: FolderDeps, ownerId: string, from: string, to: string, sameKey: boolean): Promise<void> {
  if (!sameKey) {
    const target = await deps.files.getPathEntry(ownerId, to);
    if (target !== undefined && !(target.kind === 'folder' && target.movingFrom === from)) throw pathConflict(`${target.path} already exists`, target.path);
  }
  // Ancestors of both ends must exist and be unmarked (a folder inside a folder being moved cannot move away).
  const ancestors = new Map([...ancestorFolders(from), ...ancestorFolders(to)].map((f) => [pathKey(f), f]));
  const outcome = await deps.transactions.write([
    ...deps.files.upsertFolders(ownerId, [...ancestors.values()]),
    deps.folders.mark(ownerId, from, 'movingTo', to),
    ...(sameKey ? [] : [deps.folders.markDestination(ownerId, to, from)]),
  ]);
  if (outcome.ok) return;
  // The same move sent twice at once: the other request marked it, this one carries on with it.
  const source = await deps.files.getPathEntry(ownerId, from);
  if (source?.kind === 'folder' && source.movingTo === to) return;
  for (const path of [...ancestors.values(), from, to]) {
    const entry = await deps.files.getPathEntry(ownerId, path);
    if (entry?.kind === 'folder' && isMarked(entry) && entry.movingTo !== to && entry.movingFrom !== from) throw folderBusy(entry.path);
    if (entry?.kind === 'file') throw pathConflict(`${entry.path} is a file`, entry.path);
  }
  throw pathConflict(`${to} already exists`, to);
}

/**
 * Puts every file under the folder in the trash as one group (restoring the group brings them back
 * together) and removes the folder and its subfolders. Shares of those files end, as a file's delete
 * ends them.
 */
export async function deleteFolder(deps: FolderDeleteDeps, caller: Caller, req: DeleteFolderRequest, clock: () => number = Date.now): Promise<FolderChangeResponse> {
  const ownerId = caller.userId;
  const path = folderPath(req.path);
  const source = await existingFolder(deps, ownerId, path);
  let group = source.deleting;
  if (group === undefined) {
    if (isMarked(source)) throw folderBusy(source.path);
    group = `${new Date(clock()).toISOString()}~folder-${randomUUID()}`;
    const outcome = await deps.transactions.write([
      ...deps.files.upsertFolders(ownerId, ancestorFolders(path)),
      deps.folders.mark(ownerId, path, 'deleting', group),
    ]);
    if (!outcome.ok) throw folderBusy(path);
  }
  const trashGroup = group;
  const { done, files } = await runFolderJob(
    deps,
    {
      ownerId,
      folder: path,
      pending: () => true,
      step: async (entries) => {
        const deleting = await filesAt(deps, entries);
        const shares = await Promise.all(deleting.map((file) => deps.shares.forFile(file.fileId)));
        const items = deleting.flatMap((file, i) => {
          const next: FileState = { ...file, status: 'deleted', revision: file.revision + 1, trashGroup, ...authorship(caller, new Date(clock())) };
          return [
            ...stateItems(deps, { type: 'delete', previous: file, next }),
            deps.files.deleteFilePath(ownerId, file.path, file.fileId),
            deps.trash.put(trashEntry(next, shares[i])),
          ];
        });
        const folders = entries.filter((e) => e.kind === 'folder').map((e) => deps.folders.removeFolder(ownerId, e.path));
        if (items.length + folders.length === 0) return 0;
        const outcome = await deps.transactions.write([...items, ...folders]);
        if (!outcome.ok) return 0;
        // Access ended with the delete (grants on a deleted file are void); the share items go now.
        await deps.shares.removeAll(shares.flat());
        return deleting.length;
      },
      finish: (seq, at) => ({
        entry: { seq, type: 'deleteFolder', path, at },
        items: [deps.folders.removeMarked(ownerId, path, 'deleting', trashGroup)],
      }),
      finishedElsewhere: async () => (await deps.files.getPathEntry(ownerId, path)) === undefined,
    },
    clock,
  );
  return { path, done, files, trashGroup };
}
