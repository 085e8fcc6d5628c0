/** The dialogs behind a file's buttons: rename, move, delete, and share (with its collaborators). */
import type { ShareRole } from '@contract/schemas';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../api/client';
import { asWebError, describeError, type WebError } from '../errors';
import { formatDate } from './format';
import { Modal } from './Modal';
import { joinPath, parentOf } from './remote-paths';
import { useAsync } from './use-async';

export interface FileTarget {
  readonly fileId: string;
  readonly name: string;
  readonly path: string;
  readonly revision: number;
}

export type FileDialog = { readonly kind: 'rename' | 'move' | 'delete' | 'share'; readonly file: FileTarget };

interface Props {
  readonly api: ApiClient;
  readonly dialog: FileDialog;
  readonly onClose: () => void;
  readonly onChanged: () => void;
}

export function FileActions({ api, dialog, onClose, onChanged }: Props) {
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
        <Confirm title={`Delete ${file.name}?`} submit="Delete" onClose={onClose}
          act={async () => { await api.call('deleteFile', { params: { fileId: file.fileId }, query: { expectedRevision: String(file.revision) } }); done(); }}>
          <p>{file.path} will be deleted.</p>
        </Confirm>
      );
    case 'share':
      return <ShareDialog api={api} file={file} onClose={onClose} />;
  }
}

function useAction(): { busy: boolean; error?: WebError; run: (work: () => Promise<void>) => Promise<void> } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WebError>();
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await work();
    } catch (thrown) {
      setError(asWebError(thrown));
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
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

function Confirm(props: { title: string; submit: string; onClose: () => void; act: () => Promise<void>; children: preact.ComponentChildren }) {
  const { busy, error, run } = useAction();
  return (
    <Modal title={props.title} onClose={props.onClose}>
      {props.children}
      {error && <p role="alert" class="error">{describeError(error)}</p>}
      <div class="actions">
        <button type="button" onClick={props.onClose}>Cancel</button>
        <button type="button" class="danger" disabled={busy} onClick={() => void run(props.act)}>{props.submit}</button>
      </div>
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
  const unknown = error?.code === 'UNKNOWN_RECIPIENTS' ? (error.details?.emails as string[] | undefined) : undefined;
  return (
    <Modal title={`Share ${file.name}`} onClose={onClose}>
      <form onSubmit={share} class="share-form">
        {error && <p role="alert" class="error">{unknown ? `No Tote account for ${unknown.join(', ')}: nothing was shared (UNKNOWN_RECIPIENTS)` : describeError(error)}</p>}
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
          <li key={c.userId}>
            <span class="who">{c.email}</span> <span class="role">{c.role}</span>
            <span class="hint"> since {formatDate(c.sharedAt)}</span>
            <button type="button" aria-label={`Revoke ${c.email}`} disabled={busy}
              onClick={() => void run(async () => { await api.call('revokeShare', { params: { fileId: file.fileId, userId: c.userId } }); collaborators.reload(); })}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
