/** The app's top: boot, then the sign-in screen or the signed-in workspace. */
import { useEffect, useState } from 'preact/hooks';
import { ApiClient } from '../../../client/src/core/api/client';
import { Session } from '../auth/session';
import { boot, type Boot } from '../boot';
import { asToteError, describeError, type ToteError } from '../errors';
import { browserEnvironment } from '../transfer/environment';
import { Transfers } from '../transfer/transfers';
import { AuthScreen } from './AuthScreen';
import { Workspace } from './Workspace';

/** How versions and the trash name changes made here (DEVICE_HEADER). */
const WEB_DEVICE = 'web browser';

export interface Signedin {
  readonly session: Session;
  readonly api: ApiClient;
  readonly transfers: Transfers;
}

export function App() {
  const [booted, setBooted] = useState<Boot>();
  const [failure, setFailure] = useState<ToteError>();
  const [signedIn, setSignedIn] = useState<Signedin>();
  const [resuming, setResuming] = useState(true);

  const enter = (b: Boot, session: Session) => {
    const api = new ApiClient({ endpoint: b.config.apiUrl, tokens: session, device: WEB_DEVICE });
    setSignedIn({ session, api, transfers: new Transfers(browserEnvironment(api)) });
  };
  const expired = () => setSignedIn(undefined);

  useEffect(() => {
    boot()
      .then(async (b) => {
        setBooted(b);
        const session = await Session.resume(b.gateway, expired);
        if (session) enter(b, session);
      })
      .catch((error: unknown) => setFailure(asToteError(error)))
      .finally(() => setResuming(false));
  }, []);

  if (failure) {
    return (
      <main class="centered">
        <h1>Tote</h1>
        <p role="alert" class="error">Tote cannot start: {describeError(failure)}</p>
      </main>
    );
  }
  if (!booted || resuming) return <main class="centered" aria-busy="true"><p>Loading…</p></main>;
  if (!signedIn) {
    return <AuthScreen gateway={booted.gateway} onSignedIn={(session) => enter(booted, session)} onExpired={expired} />;
  }
  return (
    <Workspace
      {...signedIn}
      onSignOut={async () => {
        signedIn.transfers.cancelAll();
        await signedIn.session.signOut();
        setSignedIn(undefined);
      }}
    />
  );
}
