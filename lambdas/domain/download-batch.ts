/**
 * Downloading many small files at once (POST /download-batches). Each file gets the first page its own
 * GET /files/{fileId}/download would answer (cut to LIMITS.downloadBatchPageChunks chunks), through the
 * same access rule (access.ts) and the same page builder (downloads.ts). The reads that decide access
 * and the pages are batched across the files: one BatchGetItem pass each for the paths named, the files,
 * their revision items and each owner's chunk records; grants are read only for files the caller does
 * not own. A file the caller may not read answers the same
 * NOT_FOUND as an id that never existed, in its place; the other files go on.
 */
import { LIMITS } from '@contract/limits';
import { pathKey } from '@contract/paths';
import type { DownloadBatchItem, DownloadBatchRequest, DownloadBatchResponse, DownloadResponse } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { batchDeferred, invalidPath, notFound } from '@shared/errors';
import type { FileState, PathEntry } from '@repo/items';
import pLimit from 'p-limit';
import { authorize, type Grant } from './access';
import { itemError, settle, type Settled } from './batch-items';
import { noDeadline, withinBudget, type InTime } from './budget';
import { preparePages, revisionToRead, type DownloadDeps } from './downloads';
import { filePath } from './paths';

/** Grants read at once for files the caller does not own (each a single read). */
const PARALLEL_GRANTS = 16;

/**
 * Each file is signed within the request's time budget (budget.ts); once it runs out, the files left
 * answer BATCH_DEFERRED (ask again) and the request answers what it has rather than outliving the
 * function's timeout.
 */
export async function downloadBatch(
  deps: DownloadDeps,
  caller: Caller,
  body: DownloadBatchRequest,
  now = new Date(),
  inTime: InTime = noDeadline,
): Promise<DownloadBatchResponse> {
  const ids = await resolveIds(deps, caller, body.files);
  // The same file named twice (by id and by path) is read and signed once.
  const fileIds = [...new Set(ids.flatMap((id) => (id.ok ? [id.value] : [])))];
  const files = await deps.files.getFiles(fileIds);
  const grants = await grantsOn(deps, caller, [...files.values()]);

  const readable = await Promise.all(
    fileIds.map((fileId) => settle(() => revisionToRead(deps, authorize(caller, files.get(fileId), 'read', grants.get(fileId)), undefined))),
  );
  const wanted = readable.flatMap((r) => (r.ok ? [{ state: r.value, offset: 0 }] : []));
  const signers = await preparePages(deps, caller.userId, wanted, LIMITS.downloadBatchPageChunks, now);
  const signed = await withinBudget(signers, inTime, (sign) => settle(sign));
  const pages = new Map<string, Settled<DownloadResponse>>();
  let next = 0;
  readable.forEach((r, i) => pages.set(fileIds[i]!, r.ok ? (signed[next++] ?? deferred()) : r));
  const results = ids.map((id) => (id.ok ? pages.get(id.value)! : id));
  return { results: results.map((s) => (s.ok ? { ok: true as const, download: s.value } : { ok: false as const, error: s.error })) };
}

const deferred = (): Settled<never> => ({ ok: false, error: itemError(batchDeferred()) });

/** The file id each item names; a path is looked up in the caller's namespace, as GET /paths does. */
async function resolveIds(deps: DownloadDeps, caller: Caller, items: readonly DownloadBatchItem[]): Promise<Settled<string>[]> {
  const paths = await Promise.all(items.map((item) => ('path' in item ? settle(() => itemPath(item.path)) : undefined)));
  const wanted = paths.flatMap((p) => (p?.ok ? [p.value] : []));
  const entries = wanted.length === 0 ? new Map<string, PathEntry>() : await deps.files.getPathEntries(caller.userId, wanted);
  return Promise.all(
    items.map((item, i) => {
      if ('fileId' in item) return { ok: true as const, value: item.fileId };
      const path = paths[i]!;
      if (!path.ok) return path;
      return settle(() => {
        const entry = entries.get(pathKey(path.value));
        if (entry === undefined) throw notFound(`nothing at ${path.value}`);
        if (entry.kind === 'folder') throw notFound(`${entry.path} is a folder, not a file`);
        return entry.fileId;
      });
    }),
  );
}

/** A path of one item; a malformed one is that item's INVALID_PATH, not the batch's. */
function itemPath(raw: string): string {
  try {
    return filePath(raw);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'INVALID_PATH') throw invalidPath((error as Error).message);
    throw error;
  }
}

/** The caller's grants on the files it does not own, by file id. */
async function grantsOn(deps: DownloadDeps, caller: Caller, files: readonly FileState[]): Promise<Map<string, Grant>> {
  const limit = pLimit(PARALLEL_GRANTS);
  const foreign = files.filter((f) => f.ownerId !== caller.userId);
  const grants = await Promise.all(foreign.map((f) => limit(() => deps.shares.grantOn(caller.userId, f.fileId))));
  return new Map(grants.flatMap((g) => (g ? [[g.fileId, g] as const] : [])));
}
