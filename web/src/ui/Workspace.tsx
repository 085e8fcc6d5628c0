/** The signed-in app: header, navigation, the current view, and the transfers panel. */
import type { ApiClient } from '../../../client/src/core/api/client';
import type { Session } from '../auth/session';
import type { Transfers } from '../transfer/transfers';
import { FolderView } from './FolderView';
import { navigate, usePlace } from './router';
import { SharedView } from './SharedView';
import { TransfersPanel } from './TransfersPanel';
import { TrashView } from './TrashView';

interface Props {
  readonly session: Session;
  readonly api: ApiClient;
  readonly transfers: Transfers;
  readonly onSignOut: () => void;
}

export function Workspace({ session, api, transfers, onSignOut }: Props) {
  const place = usePlace();
  const link = (target: Parameters<typeof navigate>[0]) => (event: MouseEvent) => {
    event.preventDefault();
    navigate(target);
  };
  return (
    <div class="workspace">
      <header class="topbar">
        <a class="brand" href="/" onClick={link({ view: 'files', path: '/' })}>Tote</a>
        <nav aria-label="Sections">
          <a href="/" aria-current={place.view === 'files' ? 'page' : undefined} onClick={link({ view: 'files', path: '/' })}>My files</a>
          <a href="/shared" aria-current={place.view === 'shared' ? 'page' : undefined} onClick={link({ view: 'shared' })}>Shared with me</a>
          <a href="/trash" aria-current={place.view === 'trash' ? 'page' : undefined} onClick={link({ view: 'trash' })}>Trash</a>
        </nav>
        <span class="who" title={session.email}>{session.email}</span>
        <button type="button" onClick={onSignOut}>Sign out</button>
      </header>
      <main class="content">
        {place.view === 'files' && <FolderView api={api} transfers={transfers} path={place.path} />}
        {place.view === 'shared' && <SharedView api={api} transfers={transfers} />}
        {place.view === 'trash' && <TrashView api={api} />}
      </main>
      <TransfersPanel transfers={transfers} />
    </div>
  );
}
