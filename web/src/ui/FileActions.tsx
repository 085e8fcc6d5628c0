/** The dialogs behind a file's buttons: rename, move, delete (to the trash), versions, and share (with its collaborators). */
import type { DeleteFileResponse, ShareRole } from '@contract/schemas';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../../../client/src/core/api/client';
import { describeError } from '../errors';
import { Confirm } from './Confirm';
import { formatDate } from './format';
import { Modal } from './Modal';
import { joinPath, parentOf } from './remote-paths';
import { useAction } from './use-action';
import { useAsync } from './use-async';
import { VersionsDialog } from './VersionsDialog';

export interface FileTarget {
  readonly fileId: string;
  readonly name: string;
  readonly path: string;
  readonly revision: number;
}

export type FileDialog = { readonly kind: 'rename' | 'move' | 'delete' | 'versions' | 'share'; readonly file: FileTarget };

interface Props {
  readonly api: ApiClient;
  readonly dialog: FileDialog;
  readonly onClose: () => void;
  readonly onChanged: () => void;
  /** A delete went through: the file is in the trash until `restorableUntil`. */
  readonly onDeleted: (deleted: DeleteFileResponse) => void;
}

export function FileActions({ api, dialog, onClose, onChanged, onDeleted }: Props) {
  const { file } = dialog;
  const done = () => {
    onChanged();
    onClose();
  };
  const move = (toPath: string) => api.call('moveFile', { params: { fileId: file.fileId }, body: { toPath, expectedRevision: file.revision } });
  switch (dialog.kind) {
    case 'rename':
      return (
        <PathForm title={`Rename ${file.name}`} label="New name" initial={file.name} submit="Rename" onClose={onClose}
          act={async (name) => { await move(joinPath(parentOf(file.path), name)); done(); }} />
      );
    case 'move':
      return (
        <PathForm title={`Move ${file.name}`} label="To folder" initial={parentOf(file.path)} submit="Move" onClose={onClose}
          act={async (folder) => { await move(joinPath(folder.replace(/\/+$/, '') || '/', file.name)); done(); }} />
      );
    case 'delete':
      return (
        <Confirm title={`Delete ${file.name}?`} submit="Move to trash" onClose={onClose}
          act={async () => {
            onDeleted(await api.call('deleteFile', { params: { fileId: file.fileId }, query: { expectedRevision: String(file.revision) } }));
            done();
          }}>
          <p>{file.path} goes to the trash, where you can restore it until it expires.</p>
        </Confirm>
      );
    case 'versions':
      return <VersionsDialog api={api} file={file} canRestore onClose={onClose} onRestored={onChanged} />;
    case 'share':
      return <ShareDialog api={api} file={file} onClose={onClose} />;
  }
}

function PathForm(props: { title: string; label: string; initial: string; submit: string; onClose: () => void; act: (value: string) => Promise<void> }) {
  const [value, setValue] = useState(props.initial);
  const { busy, error, run } = useAction();
  return (
    <Modal title={props.title} onClose={props.onClose}>
      <form onSubmit={(e) => { e.preventDefault(); void run(() => props.act(value.trim())); }}>
        {error && <p role="alert" class="error">{describeError(error)}</p>}
        <label for="path-value">{props.label}</label>
        <input id="path-value" required value={value} onInput={(e) => setValue(e.currentTarget.value)} />
        <div class="actions">
          <button type="button" onClick={props.onClose}>Cancel</button>
          <button type="submit" class="primary" disabled={busy}>{props.submit}</button>
        </div>
      </form>
    </Modal>
  );
}

function ShareDialog({ api, file, onClose }: { api: ApiClient; file: FileTarget; onClose: () => void }) {
  const collaborators = useAsync(() => api.call('listCollaborators', { params: { fileId: file.fileId } }), [api, file.fileId]);
  const [emails, setEmails] = useState('');
  const [role, setRole] = useState<ShareRole>('viewer');
  const { busy, error, run } = useAction();
  const share = (event: Event) => {
    event.preventDefault();
    const list = emails.split(/[\s,;]+/).filter(Boolean);
    void run(async () => {
      await api.call('shareFile', { params: { fileId: file.fileId }, body: { emails: list, role } });
      setEmails('');
      collaborators.reload();
    });
  };
  return (
    <Modal title={`Share ${file.name}`} onClose={onClose}>
      <form onSubmit={share} class="share-form">
        {error && <p role="alert" class="error">{describeError(error)}</p>}
        <label for="share-emails">Emails</label>
        <input id="share-emails" type="text" inputMode="email" required placeholder="bob@example.com, carol@example.com"
          value={emails} onInput={(e) => setEmails(e.currentTarget.value)} />
        <label for="share-role">Role</label>
        <select id="share-role" value={role} onChange={(e) => setRole(e.currentTarget.value as ShareRole)}>
          <option value="viewer">Viewer: can download</option>
          <option value="editor">Editor: can also upload new versions</option>
        </select>
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>Share</button>
        </div>
      </form>
      <h3>People with access</h3>
      {collaborators.error && <p role="alert" class="error">{describeError(collaborators.error)}</p>}
      {collaborators.value && collaborators.value.collaborators.length === 0 && <p class="empty">Only you.</p>}
      <ul class="collaborators" aria-label="Collaborators">
        {collaborators.value?.collaborators.map((c) => (
          <li key={c.collaboratorId}>
            <span class="who">{c.email}</span> <span class="role">{c.role}</span>
            <span class="hint"> since {formatDate(c.sharedAt)}</span>
            <button type="button" aria-label={`Revoke ${c.email}`} disabled={busy}
              onClick={() => void run(async () => { await api.call('revokeShare', { params: { fileId: file.fileId, collaboratorId: c.collaboratorId } }); collaborators.reload(); })}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
