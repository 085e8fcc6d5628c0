/**
 * A file's versions, newest first: revision, size, when, who and from which device. Restoring one
 * makes its content the file's next revision on the service (no bytes travel), so nothing is lost.
 */
import type { FileVersion } from '@contract/schemas';
import { useState } from 'preact/hooks';
import type { ApiClient } from '../../../client/src/core/api/client';
import { restoreVersion, versionsOf } from '../../../client/src/core/recovery/recovery';
import { describeError } from '../errors';
import { formatBytes, formatDate } from './format';
import { Modal } from './Modal';
import { useAction } from './use-action';
import { useAsync } from './use-async';

interface Props {
  readonly api: ApiClient;
  readonly file: { readonly fileId: string; readonly name: string };
  /** Owners and editors may restore; viewers see the history only. */
  readonly canRestore: boolean;
  readonly onClose: () => void;
  readonly onRestored: () => void;
}

export function VersionsDialog({ api, file, canRestore, onClose, onRestored }: Props) {
  const history = useAsync(() => versionsOf(api, file.fileId), [api, file.fileId]);
  const [notice, setNotice] = useState<string>();
  const { busy, error, run } = useAction();
  const problem = error ?? history.error;
  const restore = (version: FileVersion) =>
    void run(async () => {
      if (!history.value) return;
      const restored = await restoreVersion(api, history.value.file, version.revision);
      setNotice(`Revision ${version.revision} restored as revision ${restored.revision}.`);
      history.reload();
      onRestored();
    });
  return (
    <Modal title={`Versions of ${file.name}`} onClose={onClose}>
      {notice && <p role="status" class="notice">{notice}</p>}
      {problem && <p role="alert" class="error">{describeError(problem)}</p>}
      {history.loading && !history.value && <p aria-busy="true">Loading…</p>}
      <ol class="versions" aria-label="Versions">
        {history.value?.versions.map((v) => (
          <li key={v.revision}>
            <div class="version-head">
              <strong>Revision {v.revision}</strong>
              {v.current && <span class="role">current</span>}
              {v.restoredFrom !== undefined && <span class="hint">restored from {v.restoredFrom}</span>}
            </div>
            <div class="hint">
              {formatBytes(v.size)} · <time dateTime={v.createdAt}>{formatDate(v.createdAt)}</time>
              {v.changedBy && <> · {v.changedBy.email ?? 'a former user'}</>}
              {v.device && <> on {v.device}</>}
            </div>
            {canRestore && !v.current && (
              <button type="button" aria-label={`Restore revision ${v.revision}`} disabled={busy} onClick={() => restore(v)}>Restore</button>
            )}
          </li>
        ))}
      </ol>
    </Modal>
  );
}
