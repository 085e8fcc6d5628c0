/**
 * One folder of the person's own files: breadcrumbs, a sortable list with sizes and dates, uploads
 * by picker or drop (files and whole folders), and per-file download, versions, rename, move, share,
 * and delete to the trash (undone from the notice it leaves).
 */
import type { DeleteFileResponse, FolderEntry } from '@contract/schemas';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ApiClient } from '../../../client/src/core/api/client';
import { restoreTrashed } from '../../../client/src/core/recovery/recovery';
import { describeError } from '../errors';
import { downloadFile } from '../transfer/download';
import { pickedFromDrop, pickedFromInput, type PickedFile } from '../transfer/picked-files';
import type { Transfers } from '../transfer/transfers';
import { uploadFiles } from '../transfer/upload';
import { FileActions, type FileDialog } from './FileActions';
import { formatBytes, formatDate } from './format';
import { Icon } from './Icon';
import { crumbs } from './remote-paths';
import { navigate } from './router';
import { sortEntries, type Sort, type SortKey } from './sorting';
import { useAction } from './use-action';
import { useAsync } from './use-async';

type FileEntry = Extract<FolderEntry, { kind: 'file' }>;

interface Props {
  readonly api: ApiClient;
  readonly transfers: Transfers;
  readonly path: string;
}

async function listAll(api: ApiClient, path: string): Promise<FolderEntry[]> {
  const entries: FolderEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.call('listFolder', { query: { path, cursor } });
    entries.push(...page.entries);
    cursor = page.cursor;
  } while (cursor);
  return entries;
}

export function FolderView({ api, transfers, path }: Props) {
  const listing = useAsync(() => listAll(api, path), [api, path]);
  const [sort, setSort] = useState<Sort>({ key: 'name', descending: false });
  const [dialog, setDialog] = useState<FileDialog>();
  const [dragging, setDragging] = useState(false);
  const [trashed, setTrashed] = useState<DeleteFileResponse>();
  const undo = useAction();
  useEffect(() => setTrashed(undefined), [path]);
  const filesInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);

  const upload = async (picked: PickedFile[]) => {
    if (picked.length === 0) return;
    await uploadFiles(transfers, picked);
    listing.reload();
  };
  const onPick = (event: Event) => {
    const input = event.currentTarget as HTMLInputElement;
    const picked = input.files ? pickedFromInput(input.files, path) : [];
    input.value = '';
    void upload(picked);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    if (event.dataTransfer) void pickedFromDrop(event.dataTransfer.items, path).then(upload);
  };

  const sortButton = (key: SortKey, label: string) => {
    const active = sort.key === key;
    return (
      <th scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'} class={`col-${key}`}>
        <button type="button" class="sort" onClick={() => setSort({ key, descending: active ? !sort.descending : key === 'date' })}>
          {label}
          <span aria-hidden="true">{active ? (sort.descending ? ' ▼' : ' ▲') : ''}</span>
        </button>
      </th>
    );
  };

  const entries = listing.value ? sortEntries(listing.value, sort) : [];
  return (
    <section
      class={`folder ${dragging ? 'dragging' : ''}`}
      aria-labelledby="folder-title"
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => event.currentTarget === event.target && setDragging(false)}
      onDrop={onDrop}
    >
      <nav aria-label="Breadcrumbs" class="breadcrumbs">
        <ol>
          {crumbs(path).map((crumb, i, all) => (
            <li key={crumb.path}>
              {i === all.length - 1 ? (
                <h1 id="folder-title" aria-current="page">{crumb.name}</h1>
              ) : (
                <a href={crumb.path} onClick={(e) => { e.preventDefault(); navigate({ view: 'files', path: crumb.path }); }}>{crumb.name}</a>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <div class="toolbar">
        <button type="button" class="primary" onClick={() => filesInput.current?.click()}>Upload files</button>
        <button type="button" onClick={() => folderInput.current?.click()}>Upload folder</button>
        <input ref={filesInput} id="upload-files" type="file" multiple hidden aria-label="Files to upload" onChange={onPick} />
        <input ref={folderInput} id="upload-folder" type="file" hidden aria-label="Folder to upload" {...{ webkitdirectory: '' }} onChange={onPick} />
        <span class="hint drop-hint">or drop files and folders here</span>
      </div>
      {trashed && (
        <p role="status" class="notice trashed">
          <span>{trashed.name} is in the trash until <time dateTime={trashed.restorableUntil}>{formatDate(trashed.restorableUntil)}</time>.</span>
          <button type="button" class="link" disabled={undo.busy}
            onClick={() => void undo.run(async () => { await restoreTrashed(api, trashed); setTrashed(undefined); listing.reload(); })}>
            Undo
          </button>
          <a href="/trash" onClick={(e) => { e.preventDefault(); navigate({ view: 'trash' }); }}>Open the trash</a>
        </p>
      )}
      {undo.error && <p role="alert" class="error">{describeError(undo.error)}</p>}
      {listing.error && <p role="alert" class="error">{describeError(listing.error)}</p>}
      {listing.loading && !listing.value && <p aria-busy="true">Loading…</p>}
      {listing.value && entries.length === 0 && <p class="empty">This folder is empty. Upload files or drop them here.</p>}
      {entries.length > 0 && (
        <table class="files">
          <caption class="visually-hidden">Contents of {path}</caption>
          <thead>
            <tr>
              {sortButton('name', 'Name')}
              {sortButton('size', 'Size')}
              {sortButton('date', 'Modified')}
              <th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) =>
              entry.kind === 'folder' ? (
                <tr key={entry.path} class="folder-row">
                  <td class="col-name">
                    <a href={entry.path} onClick={(e) => { e.preventDefault(); navigate({ view: 'files', path: entry.path }); }}>
                      <Icon kind="folder" />{entry.name}
                    </a>
                  </td>
                  <td class="col-size">–</td>
                  <td class="col-date">–</td>
                  <td class="col-actions" />
                </tr>
              ) : (
                <FileRow key={entry.fileId} entry={entry} onDownload={() => void downloadFile(transfers, entry.fileId, entry.name, entry.size)} onDialog={setDialog} />
              ),
            )}
          </tbody>
        </table>
      )}
      {dialog && <FileActions api={api} dialog={dialog} onClose={() => setDialog(undefined)} onChanged={listing.reload} onDeleted={setTrashed} />}
    </section>
  );
}

function FileRow({ entry, onDownload, onDialog }: { entry: FileEntry; onDownload: () => void; onDialog: (d: FileDialog) => void }) {
  const target = { fileId: entry.fileId, name: entry.name, path: entry.path, revision: entry.revision };
  return (
    <tr>
      <td class="col-name"><Icon kind="file" />{entry.name}</td>
      <td class="col-size">{formatBytes(entry.size)}</td>
      <td class="col-date"><time dateTime={entry.updatedAt}>{formatDate(entry.updatedAt)}</time></td>
      <td class="col-actions">
        <button type="button" aria-label={`Download ${entry.name}`} onClick={onDownload}>Download</button>
        <button type="button" aria-label={`Versions of ${entry.name}`} onClick={() => onDialog({ kind: 'versions', file: target })}>Versions</button>
        <button type="button" aria-label={`Share ${entry.name}`} onClick={() => onDialog({ kind: 'share', file: target })}>Share</button>
        <button type="button" aria-label={`Rename ${entry.name}`} onClick={() => onDialog({ kind: 'rename', file: target })}>Rename</button>
        <button type="button" aria-label={`Move ${entry.name}`} onClick={() => onDialog({ kind: 'move', file: target })}>Move</button>
        <button type="button" class="danger" aria-label={`Delete ${entry.name}`} onClick={() => onDialog({ kind: 'delete', file: target })}>Delete</button>
      </td>
    </tr>
  );
}
