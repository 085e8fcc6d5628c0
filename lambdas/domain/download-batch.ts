/**
 * Downloading many small files at once (POST /download-batches). Each file gets the first page its own
 * GET /files/{fileId}/download would answer (cut to LIMITS.downloadBatchPageChunks chunks), through the
 * same access rule (access.ts) and the same page builder (downloads.ts). The reads that decide access
 * are batched across the files: one BatchGetItem pass for the paths named, one for the files; grants
 * are read only for files the caller does not own. A file the caller may not read answers the same
 * NOT_FOUND as an id that never existed, in its place; the other files go on.
 */
import { LIMITS } from '@contract/limits';
import { pathKey } from '@contract/paths';
import type { DownloadBatchItem, DownloadBatchRequest, DownloadBatchResponse, DownloadResponse } from '@contract/schemas';
import type { Caller } from '@shared/identity';
import { invalidPath, notFound } from '@shared/errors';
import type { FileState, PathEntry } from '@repo/items';
import pLimit from 'p-limit';
import { authorize, type Grant } from './access';
import { settle, type Settled } from './batch-items';
import { downloadPage, revisionToRead, type DownloadDeps } from './downloads';
import { filePath } from './paths';

/** Files whose manifests and chunk records are read at once (each is a few small reads). */
const PARALLEL_FILES = 16;

export async function downloadBatch(deps: DownloadDeps, caller: Caller, body: DownloadBatchRequest, now = new Date()): Promise<DownloadBatchResponse> {
  const ids = await resolveIds(deps, caller, body.files);
  const named = ids.flatMap((id) => (id.ok ? [id.value] : []));
  const files = await deps.files.getFiles(named);
  const grants = await grantsOn(deps, caller, [...files.values()]);

  const limit = pLimit(PARALLEL_FILES);
  // The same file named twice (by id and by path) is read and signed once.
  const pages = new Map<string, Promise<Settled<DownloadResponse>>>();
  const pageOf = (fileId: string) => {
    let page = pages.get(fileId);
    if (!page) {
      page = limit(() =>
        settle(async () => {
          const file = authorize(caller, files.get(fileId), 'read', grants.get(fileId));
          return downloadPage(deps, await revisionToRead(deps, file, undefined), 0, LIMITS.downloadBatchPageChunks, now);
        }),
      );
      pages.set(fileId, page);
    }
    return page;
  };
  const settled = await Promise.all(ids.map((id) => (id.ok ? pageOf(id.value) : id)));
  return { results: settled.map((s) => (s.ok ? { ok: true as const, download: s.value } : { ok: false as const, error: s.error })) };
}

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
  const limit = pLimit(PARALLEL_FILES);
  const foreign = files.filter((f) => f.ownerId !== caller.userId);
  const grants = await Promise.all(foreign.map((f) => limit(() => deps.shares.grantOn(caller.userId, f.fileId))));
  return new Map(grants.flatMap((g) => (g ? [[g.fileId, g] as const] : [])));
}
