/**
 * Versions and the trash, over the API: listings gathered across pages, and trashed files found by the
 * path they had (the newest deletion of that path first) or by `id:<fileId>`.
 */
import { LIMITS } from '@contract/limits';
import { pathKey } from '@contract/paths';
import type { FileMetadata, FileVersion, RestoredFile, TrashEntry } from '@contract/schemas';
import type { ApiClient } from '../core/api/client';
import { ToteError } from '../core/errors';
import type { EventSink } from '../events';

const PAGE = String(LIMITS.listPageMax);

export interface VersionHistory {
  readonly file: FileMetadata;
  /** Newest first. */
  readonly versions: FileVersion[];
}

export async function versionsOf(api: ApiClient, file: FileMetadata): Promise<VersionHistory> {
  const versions: FileVersion[] = [];
  let cursor: string | undefined;
  let latest = file;
  do {
    const page = await api.call('listVersions', { params: { fileId: file.fileId }, query: { cursor, limit: PAGE } });
    versions.push(...page.versions);
    latest = page.file;
    cursor = page.cursor;
  } while (cursor);
  return { file: latest, versions };
}

export function restoreVersion(api: ApiClient, file: FileMetadata, revision: number): Promise<FileMetadata> {
  return api.call('restoreVersion', { params: { fileId: file.fileId, revision: String(revision) }, body: { expectedRevision: file.revision } });
}

/** The whole trash, newest deletion first. */
export async function trashEntries(api: ApiClient): Promise<TrashEntry[]> {
  const entries: TrashEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call('listTrash', { query: { cursor, limit: PAGE } });
    entries.push(...page.entries);
    cursor = page.cursor;
  } while (cursor);
  return entries;
}

/** The trash entries of `ref` (a path it was deleted from, or `id:<fileId>`), newest first; none is NOT_FOUND. */
export async function trashedAt(api: ApiClient, ref: string, path: string | undefined): Promise<TrashEntry[]> {
  const byId = /^id:(.+)$/.exec(ref)?.[1];
  const key = path === undefined ? undefined : pathKey(path);
  const found = (await trashEntries(api)).filter((e) => (byId !== undefined ? e.fileId === byId : pathKey(e.path) === key));
  if (found.length === 0) throw new ToteError('NOT_FOUND', 'not in the trash (an earlier version of a file: tote restore <path> --revision N)', { subject: path ?? ref, status: 404 });
  return found;
}

export async function restoreTrashed(api: ApiClient, entry: TrashEntry): Promise<RestoredFile> {
  const { results } = await api.call('restoreTrash', { body: { fileId: entry.fileId } });
  const [result] = results;
  if (!result.ok) throw new ToteError(result.error.code as never, result.error.message, { subject: entry.path, details: result.error.details });
  return result.restored;
}

/** Purges the given entries; answers how many went. */
export async function purgeTrashed(api: ApiClient, entries: readonly TrashEntry[]): Promise<number> {
  let purged = 0;
  for (const entry of entries) purged += (await api.call('purgeTrash', { body: { fileId: entry.fileId } })).purged;
  return purged;
}

/** Empties the trash (the service purges for a while per request and says when there is more). */
export async function purgeAll(api: ApiClient, emit: EventSink): Promise<number> {
  const total = (await trashEntries(api)).length;
  let purged = 0;
  for (;;) {
    const answer = await api.call('purgeTrash', { body: { all: true } });
    purged += answer.purged;
    emit({ type: 'trash.purge', purged, total: Math.max(total, purged) });
    if (!answer.more) return purged;
  }
}
