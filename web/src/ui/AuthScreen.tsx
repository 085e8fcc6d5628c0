/** Sign in, create an account, confirm it with the emailed code: one form at a time, all labelled. */
import { useState } from 'preact/hooks';
import type { CognitoGateway } from '../auth/cognito';
import { Session } from '../auth/session';
import { asWebError, describeError, type WebError } from '../errors';

type Mode = 'sign-in' | 'sign-up' | 'confirm';

interface Props {
  readonly gateway: CognitoGateway;
  readonly onSignedIn: (session: Session) => void;
  readonly onExpired: () => void;
}

export function AuthScreen({ gateway, onSignedIn, onExpired }: Props) {
  const [mode, setMode] = useState<Mode>('sign-in');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<WebError>();
  const [notice, setNotice] = useState<string>();

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await work();
    } catch (thrown) {
      const e = asWebError(thrown);
      setError(e);
      if (e.code === 'USER_NOT_CONFIRMED') setMode('confirm');
    } finally {
      setBusy(false);
    }
  };

  const submit = (event: Event) => {
    event.preventDefault();
    if (mode === 'sign-in') void run(async () => onSignedIn(await Session.signIn(gateway, email.trim(), password, onExpired)));
    if (mode === 'sign-up') {
      void run(async () => {
        const result = await gateway.signUp(email.trim(), password);
        if (result.confirmed) {
          onSignedIn(await Session.signIn(gateway, email.trim(), password, onExpired));
          return;
        }
        setMode('confirm');
        setNotice(`We sent a confirmation code${result.codeDestination ? ` to ${result.codeDestination}` : ''}.`);
      });
    }
    if (mode === 'confirm') {
      void run(async () => {
        await gateway.confirm(email.trim(), code.trim());
        if (password) onSignedIn(await Session.signIn(gateway, email.trim(), password, onExpired));
        else {
          setMode('sign-in');
          setNotice('Your account is confirmed: sign in.');
        }
      });
    }
  };

  const titles: Record<Mode, string> = { 'sign-in': 'Sign in to Tote', 'sign-up': 'Create your Tote account', confirm: 'Confirm your account' };
  return (
    <main class="centered">
      <form class="card auth" onSubmit={submit} aria-labelledby="auth-title">
        <h1 id="auth-title">{titles[mode]}</h1>
        {notice && <p role="status" class="notice">{notice}</p>}
        {error && <p role="alert" class="error">{describeError(error)}</p>}
        <label for="auth-email">Email</label>
        <input id="auth-email" type="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        {mode !== 'confirm' && (
          <>
            <label for="auth-password">Password</label>
            <input
              id="auth-password"
              type="password"
              required
              autocomplete={mode === 'sign-up' ? 'new-password' : 'current-password'}
              aria-describedby={mode === 'sign-up' ? 'password-rules' : undefined}
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
            />
            {mode === 'sign-up' && <p id="password-rules" class="hint">12 or more characters, with upper and lower case letters, a digit and a symbol.</p>}
          </>
        )}
        {mode === 'confirm' && (
          <>
            <label for="auth-code">Confirmation code</label>
            <input id="auth-code" inputMode="numeric" autocomplete="one-time-code" required value={code} onInput={(e) => setCode(e.currentTarget.value)} />
          </>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {mode === 'sign-in' ? 'Sign in' : mode === 'sign-up' ? 'Create account' : 'Confirm'}
        </button>
        <p class="switch">
          {mode === 'sign-in' ? (
            <button type="button" class="link" onClick={() => setMode('sign-up')}>Create an account</button>
          ) : (
            <button type="button" class="link" onClick={() => setMode('sign-in')}>I have an account: sign in</button>
          )}
          {mode !== 'confirm' && (
            <button type="button" class="link" onClick={() => setMode('confirm')}>I have a confirmation code</button>
          )}
        </p>
      </form>
    </main>
  );
}
