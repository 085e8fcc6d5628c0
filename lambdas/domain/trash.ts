/**
 * The trash: every delete puts the file here (mutations.ts), with its revisions and so its bytes, for
 * the retention period. Restoring brings it back at its path, or beside it as `name (restored).ext`
 * when the path is taken (never over anything); purging deletes it for good before its time. Only the
 * owner sees their trash. A restore and a purge of the same file are exclusive: each removes the trash
 * entry on condition it is still there.
 */
import { ancestorFolders, baseName, copyNameOf, parentPath, pathKey } from '@contract/paths';
import type { ChangedBy, ListTrashQuery, ListTrashResponse, PurgeTrashRequest, PurgeTrashResponse, RestoreTrashRequest, RestoreTrashResponse, RestoredFile, TrashEntry } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { notFound } from '@shared/errors';
import type { FileState, TrashItem } from '@repo/items';
import { isTrashListingKeyOf, trashGroupOf, type TrashRepository } from '@repo/trash';
import { authorNames, type AuthorDirectory } from './authors';
import { settle } from './batch-items';
import { applyChange, authorship, reviseItems, type ChangeDeps } from './changes';
import { toFileMetadata } from './metadata';
import { decodeCursor, encodeCursor, pageSize } from './paging';
import { trashExpiry, type Retention } from './retention';

export interface TrashDeps extends ChangeDeps {
  readonly trash: TrashRepository;
}

/** Names tried at once for a restored file whose path is taken. */
const NAME_CANDIDATES = 20;
const RESTORED_LABEL = 'restored';
/** Purging the whole trash stops after this long and says there is more (API Gateway allows 29 s). */
const PURGE_BUDGET_MS = 20_000;

export interface TrashListDeps extends Pick<TrashDeps, 'trash'> {
  readonly directory: AuthorDirectory;
  readonly retention: Retention;
}

export async function listTrash(deps: TrashListDeps, caller: Caller, query: ListTrashQuery): Promise<ListTrashResponse> {
  const startKey = query.cursor === undefined ? undefined : decodeCursor(query.cursor, (key) => isTrashListingKeyOf(caller.userId, key));
  const page = await deps.trash.page(caller.userId, pageSize(query.limit), startKey);
  const author = await authorNames(deps.directory, page.items.map((item) => item.deletedBy));
  return {
    entries: page.items.map((item) => toTrashEntry(item, author(item.deletedBy), deps.retention)),
    ...(page.lastKey ? { cursor: encodeCursor(page.lastKey) } : {}),
  };
}

function toTrashEntry(item: TrashItem, deletedBy: ChangedBy, retention: Retention): TrashEntry {
  return {
    fileId: item.fileId,
    path: item.path,
    name: item.name,
    size: item.size,
    contentHash: item.contentHash,
    revision: item.revision,
    deletedAt: item.deletedAt,
    deletedBy,
    ...(item.device === undefined ? {} : { device: item.device }),
    groupId: item.groupId,
    expiresAt: trashExpiry(item, retention).toISOString(),
    formerShares: [...item.formerShares],
  };
}

/** The trash entries a request names: one file's, or a whole group's. */
async function selected(deps: TrashDeps, caller: Caller, req: RestoreTrashRequest): Promise<TrashItem[]> {
  if ('groupId' in req) {
    const group = await deps.trash.group(caller.userId, req.groupId);
    if (group.length === 0) throw notFound('no such group in the trash');
    return group;
  }
  const file = await deps.files.getFile(req.fileId);
  const entry = file?.ownerId === caller.userId && file.status === 'deleted' ? await deps.trash.get(caller.userId, trashGroupOf(file), file.fileId) : undefined;
  if (entry === undefined) throw notFound('no such file in the trash');
  return [entry];
}

/**
 * Restores one file (its failure is the request's), or every file of a group, each on its own: one
 * that cannot come back does not hold the others back.
 */
export async function restoreFromTrash(deps: TrashDeps, caller: Caller, req: RestoreTrashRequest, now = new Date()): Promise<RestoreTrashResponse> {
  const entries = await selected(deps, caller, req);
  if (!('groupId' in req)) return { results: [{ ok: true, restored: await restoreOne(deps, caller, entries[0], now) }] };
  const results: RestoreTrashResponse['results'] = [];
  for (const entry of entries) {
    const outcome = await settle(() => restoreOne(deps, caller, entry, now));
    results.push(outcome.ok ? { ok: true, restored: outcome.value } : { ok: false, error: outcome.error });
  }
  return { results };
}

async function restoreOne(deps: TrashDeps, caller: Caller, entry: TrashItem, now: Date): Promise<RestoredFile> {
  return applyChange(deps, async () => {
    const file = await deps.files.getFile(entry.fileId);
    if (file?.status !== 'deleted' || file.revision !== entry.revision) throw notFound('no such file in the trash');
    const path = await freePath(deps, file.ownerId, entry.path);
    const lastSeq = await deps.journal.lastSeq(file.ownerId);
    const next: FileState = {
      ...file,
      status: 'uploaded',
      path,
      name: baseName(path),
      revision: file.revision + 1,
      trashGroup: undefined,
      ...authorship(caller, now),
    };
    return {
      write: [
        // A restored file reaches devices as new content at its path, as an upload would.
        ...reviseItems(deps, { type: 'put', previous: file, next, lastSeq }),
        deps.files.putFilePath(next),
        ...deps.files.upsertFolders(file.ownerId, ancestorFolders(path)),
        deps.trash.remove(entry),
      ],
      result: { file: toFileMetadata(next), fromPath: entry.path, renamed: path !== entry.path, formerShares: [...entry.formerShares] },
    };
  });
}

/** `path` when nothing is there, else the first free `name (restored[ n]).ext` beside it. */
async function freePath(deps: TrashDeps, ownerId: string, path: string): Promise<string> {
  if ((await deps.files.getPathEntry(ownerId, path)) === undefined) return path;
  const folder = parentPath(path);
  for (let first = 1; ; first += NAME_CANDIDATES) {
    const candidates = Array.from({ length: NAME_CANDIDATES }, (_, i) => {
      const name = copyNameOf(baseName(path), RESTORED_LABEL, first + i);
      return folder === '/' ? `/${name}` : `${folder}/${name}`;
    });
    const taken = await deps.files.getPathEntries(ownerId, candidates);
    const free = candidates.find((c) => !taken.has(pathKey(c)));
    if (free !== undefined) return free;
  }
}

/** Purges one file, a group, or the whole trash (as much as fits in the time budget: `more` says to ask again). */
export async function purgeFromTrash(deps: TrashDeps, caller: Caller, req: PurgeTrashRequest, clock: () => number = Date.now): Promise<PurgeTrashResponse> {
  if (!('all' in req)) {
    let purged = 0;
    for (const entry of await selected(deps, caller, req)) if (await purgeTrashed(deps, entry)) purged++;
    return { purged, more: false };
  }
  const deadline = clock() + PURGE_BUDGET_MS;
  let purged = 0;
  for await (const page of deps.trash.all(caller.userId)) {
    for (const entry of page) {
      if (clock() >= deadline) return { purged, more: true };
      if (await purgeTrashed(deps, entry)) purged++;
    }
  }
  return { purged, more: false };
}

/**
 * Deletes a trashed file for good: its trash entry and file item in one transaction (on condition the
 * file is still deleted at the trash entry's revision, so a restore that got there first wins), then
 * its revision items. False when the file was restored meanwhile. Its bytes go when the collector
 * next finds nothing else naming them.
 */
export async function purgeTrashed(deps: TrashDeps, entry: TrashItem): Promise<boolean> {
  const outcome = await deps.transactions.write([deps.trash.remove(entry), deps.files.removeDeletedFile(entry.fileId, entry.revision)]);
  if (!outcome.ok) return false;
  const revisions = await deps.files.listRevisions(entry.fileId, { manifests: false });
  await deps.files.removeRevisions(entry.fileId, revisions.map((r) => r.revision));
  return true;
}
