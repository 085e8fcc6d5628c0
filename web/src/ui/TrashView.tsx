/**
 * The person's trash: deleted files, newest deletion first, with size, when and by whom, and until
 * when each stays. Restore puts a file back at its path, or beside it under a new name when that
 * path is taken (the service decides and says which); deleting for good, one file or all, asks first.
 */
import type { RestoredFile, TrashEntry } from '@contract/schemas';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../../../client/src/core/api/client';
import { emptyTrash, purgeTrashed, restoreTrashed, trashEntries } from '../../../client/src/core/recovery/recovery';
import { describeError } from '../errors';
import { Confirm } from './Confirm';
import { formatBytes, formatDate } from './format';
import { Icon } from './Icon';
import { hrefOf } from './places';
import { parentOf } from './remote-paths';
import { navigate } from './router';
import { useAction } from './use-action';
import { useAsync } from './use-async';

type Purge = { readonly kind: 'one'; readonly entry: TrashEntry } | { readonly kind: 'all'; readonly count: number };

export function TrashView({ api }: { api: ApiClient }) {
  const trash = useAsync(() => trashEntries(api), [api]);
  const [restored, setRestored] = useState<RestoredFile>();
  const [purge, setPurge] = useState<Purge>();
  const { busy, error, run } = useAction();
  const entries = trash.value ?? [];

  const restore = (entry: TrashEntry) =>
    void run(async () => {
      setRestored(await restoreTrashed(api, entry));
      trash.reload();
    });
  const purgeNow = async (what: Purge) => {
    await (what.kind === 'all' ? emptyTrash(api) : purgeTrashed(api, [what.entry]));
    setRestored(undefined);
    setPurge(undefined);
    trash.reload();
  };

  return (
    <section aria-labelledby="trash-title">
      <h1 id="trash-title">Trash</h1>
      <div class="toolbar">
        <span class="hint">Deleted files stay here until the date shown, then go for good.</span>
        <button type="button" class="danger" disabled={entries.length === 0} onClick={() => setPurge({ kind: 'all', count: entries.length })}>Empty trash</button>
      </div>
      {restored && <RestoredNotice restored={restored} />}
      {error && <p role="alert" class="error">{describeError(error)}</p>}
      {trash.error && <p role="alert" class="error">{describeError(trash.error)}</p>}
      {trash.loading && !trash.value && <p aria-busy="true">Loading…</p>}
      {trash.value?.length === 0 && <p class="empty">The trash is empty.</p>}
      {entries.length > 0 && (
        <table class="files trash">
          <caption class="visually-hidden">Deleted files</caption>
          <thead>
            <tr>
              <th scope="col" class="col-name">Name</th>
              <th scope="col" class="col-size">Size</th>
              <th scope="col" class="col-date">Deleted</th>
              <th scope="col" class="col-expires">Kept until</th>
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={`${entry.fileId}@${entry.revision}`}>
                <td class="col-name">
                  <Icon kind="file" />{entry.name}
                  <span class="hint folder-of"> in {parentOf(entry.path)}</span>
                </td>
                <td class="col-size">{formatBytes(entry.size)}</td>
                <td class="col-date">
                  <time dateTime={entry.deletedAt}>{formatDate(entry.deletedAt)}</time>
                  <span class="hint by"> by {entry.deletedBy.email ?? 'a former user'}{entry.device ? ` on ${entry.device}` : ''}</span>
                </td>
                <td class="col-expires"><time dateTime={entry.expiresAt}>{formatDate(entry.expiresAt)}</time></td>
                <td class="col-actions">
                  <button type="button" aria-label={`Restore ${entry.path}`} disabled={busy} onClick={() => restore(entry)}>Restore</button>
                  <button type="button" class="danger" aria-label={`Delete forever ${entry.path}`} disabled={busy} onClick={() => setPurge({ kind: 'one', entry })}>Delete forever</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {purge && (
        <Confirm title={purge.kind === 'all' ? 'Empty the trash?' : `Delete ${purge.entry.name} forever?`} submit="Delete forever" onClose={() => setPurge(undefined)} act={() => purgeNow(purge)}>
          <p>
            {purge.kind === 'all' ? `${purge.count === 1 ? 'The file' : `All ${purge.count} files`} in the trash` : purge.entry.path} will be deleted
            for good, with every version. This cannot be undone.
          </p>
        </Confirm>
      )}
    </section>
  );
}

function RestoredNotice({ restored }: { restored: RestoredFile }) {
  const { file } = restored;
  const folder = parentOf(file.path);
  return (
    <p role="status" class="notice">
      {restored.renamed ? `${restored.fromPath} is taken, so it was restored beside it as ${file.path}.` : `${file.path} is back.`}{' '}
      {restored.formerShares.length > 0 && `It is no longer shared with ${restored.formerShares.map((s) => s.email).join(', ')}. `}
      <a href={hrefOf({ view: 'files', path: folder })} onClick={(e) => { e.preventDefault(); navigate({ view: 'files', path: folder }); }}>Open its folder</a>
    </p>
  );
}
