/** Files others shared with the person: owner, role, size, date, download, and versions (editors may restore). No owner-only controls. */
import type { SharedFileEntry } from '@contract/schemas';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../../../client/src/core/api/client';
import { describeError } from '../errors';
import { downloadFile } from '../transfer/download';
import type { Transfers } from '../transfer/transfers';
import { formatBytes, formatDate } from './format';
import { Icon } from './Icon';
import { useAsync } from './use-async';
import { VersionsDialog } from './VersionsDialog';

async function listAll(api: ApiClient): Promise<SharedFileEntry[]> {
  const entries: SharedFileEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call('listShared', { query: { cursor } });
    entries.push(...page.entries);
    cursor = page.cursor;
  } while (cursor);
  return entries;
}

export function SharedView({ api, transfers }: { api: ApiClient; transfers: Transfers }) {
  const shared = useAsync(() => listAll(api), [api]);
  const [versionsOf, setVersionsOf] = useState<Pick<SharedFileEntry, 'file' | 'role'>>();
  return (
    <section aria-labelledby="shared-title">
      <h1 id="shared-title">Shared with me</h1>
      {shared.error && <p role="alert" class="error">{describeError(shared.error)}</p>}
      {shared.loading && !shared.value && <p aria-busy="true">Loading…</p>}
      {shared.value?.length === 0 && <p class="empty">Nobody has shared a file with you yet.</p>}
      {shared.value && shared.value.length > 0 && (
        <table class="files">
          <thead>
            <tr>
              <th scope="col" class="col-name">Name</th>
              <th scope="col" class="col-owner">Owner</th>
              <th scope="col" class="col-role">Role</th>
              <th scope="col" class="col-size">Size</th>
              <th scope="col" class="col-date">Modified</th>
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {shared.value.map(({ file, owner, role }) => (
              <tr key={file.fileId}>
                <td class="col-name"><Icon kind="file" />{file.name}</td>
                <td class="col-owner">{owner.email}</td>
                <td class="col-role">{role}</td>
                <td class="col-size">{formatBytes(file.size)}</td>
                <td class="col-date"><time dateTime={file.updatedAt}>{formatDate(file.updatedAt)}</time></td>
                <td class="col-actions">
                  <button type="button" aria-label={`Download ${file.name}`} onClick={() => void downloadFile(transfers, file.fileId, file.name, file.size)}>Download</button>
                  <button type="button" aria-label={`Versions of ${file.name}`} onClick={() => setVersionsOf({ file, role })}>Versions</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {versionsOf && (
        <VersionsDialog api={api} file={versionsOf.file} canRestore={versionsOf.role === 'editor'} onClose={() => setVersionsOf(undefined)} onRestored={shared.reload} />
      )}
    </section>
  );
}
