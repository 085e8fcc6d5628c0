/**
 * The CLI's side of versions and the trash: trashed files found by the path they had (the newest
 * deletion of that path first) or by `id:<fileId>`, and emptying the trash with progress events. The
 * API calls themselves are the shared core's (client/src/core/recovery), which the web app uses too.
 */
import { pathKey } from '@contract/paths';
import type { TrashEntry } from '@contract/schemas';
import type { ApiClient } from '../core/api/client';
import { ToteError } from '../core/errors';
import { emptyTrash, trashEntries } from '../core/recovery/recovery';
import type { EventSink } from '../events';

export { purgeTrashed, restoreTrashed, restoreVersion, trashEntries, versionsOf, type VersionHistory } from '../core/recovery/recovery';

/** The trash entries of `ref` (a path it was deleted from, or `id:<fileId>`), newest first; none is NOT_FOUND. */
export async function trashedAt(api: ApiClient, ref: string, path: string | undefined): Promise<TrashEntry[]> {
  const byId = /^id:(.+)$/.exec(ref)?.[1];
  const key = path === undefined ? undefined : pathKey(path);
  const found = (await trashEntries(api)).filter((e) => (byId !== undefined ? e.fileId === byId : pathKey(e.path) === key));
  if (found.length === 0) throw new ToteError('NOT_FOUND', 'not in the trash (an earlier version of a file: tote restore <path> --revision N)', { subject: path ?? ref, status: 404 });
  return found;
}

/** Empties the trash, reporting how far it got against what the trash held when it started. */
export async function purgeAll(api: ApiClient, emit: EventSink): Promise<number> {
  const total = (await trashEntries(api)).length;
  return emptyTrash(api, (purged) => emit({ type: 'trash.purge', purged, total: Math.max(total, purged) }));
}
