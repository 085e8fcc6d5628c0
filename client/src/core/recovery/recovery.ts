/**
 * Versions and the trash over the API, for every client (the CLI and the web app): listings gathered
 * across pages, a version restored as the next revision, trashed files restored or purged one at a
 * time, and the whole trash emptied in as many requests as the service needs.
 */
import { LIMITS } from '@contract/limits';
import type { FileMetadata, FileVersion, RestoredFile, TrashEntry } from '@contract/schemas';
import type { ApiClient } from '../api/client';
import { ToteError, type ToteErrorCode } from '../errors';

const PAGE = String(LIMITS.listPageMax);

export interface VersionHistory {
  /** The file as the service sees it now (its current revision is what a restore must name). */
  readonly file: FileMetadata;
  /** Newest first. */
  readonly versions: FileVersion[];
}

export async function versionsOf(api: ApiClient, fileId: string): Promise<VersionHistory> {
  const pageOf = (cursor?: string) => api.call('listVersions', { params: { fileId }, query: { cursor, limit: PAGE } });
  let page = await pageOf();
  const versions = [...page.versions];
  while (page.cursor) {
    page = await pageOf(page.cursor);
    versions.push(...page.versions);
  }
  return { file: page.file, versions };
}

/** Makes `revision` the file's content again as a new revision; refused (409) when `file` is no longer current. */
export function restoreVersion(api: ApiClient, file: Pick<FileMetadata, 'fileId' | 'revision'>, revision: number): Promise<FileMetadata> {
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

/** Brings one trashed file back: at its old path, or beside it under a new name when that path is taken (`renamed`). */
export async function restoreTrashed(api: ApiClient, entry: Pick<TrashEntry, 'fileId' | 'path'>): Promise<RestoredFile> {
  const { results } = await api.call('restoreTrash', { body: { fileId: entry.fileId } });
  const [result] = results;
  if (!result.ok) throw new ToteError(result.error.code as ToteErrorCode, result.error.message, { subject: entry.path, details: result.error.details });
  return result.restored;
}

/** Purges the given entries for good; answers how many went. */
export async function purgeTrashed(api: ApiClient, entries: readonly Pick<TrashEntry, 'fileId'>[]): Promise<number> {
  let purged = 0;
  for (const entry of entries) purged += (await api.call('purgeTrash', { body: { fileId: entry.fileId } })).purged;
  return purged;
}

/** Empties the trash: the service purges for a while per request and says when there is more. */
export async function emptyTrash(api: ApiClient, onProgress: (purged: number) => void = () => undefined): Promise<number> {
  let purged = 0;
  for (;;) {
    const answer = await api.call('purgeTrash', { body: { all: true } });
    purged += answer.purged;
    onProgress(purged);
    if (!answer.more) return purged;
  }
}
