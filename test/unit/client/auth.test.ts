import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CognitoGateway, Tokens } from '../../../client/src/auth/cognito';
import { CredentialsStore, type StoredSession } from '../../../client/src/auth/credentials';
import { AuthSession } from '../../../client/src/auth/session';
import { ToteError } from '../../../client/src/core/errors';

const endpoint = 'http://127.0.0.1:4080';
const auth = { region: 'us-east-1', userPoolId: 'local_x', userPoolClientId: 'client' };
let dir: string;
let store: CredentialsStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tote-auth-'));
  store = new CredentialsStore(dir);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const session = (expiresInMs: number): StoredSession => ({
  email: 'a@example.com',
  accessToken: 'old',
  accessTokenExpiresAt: new Date(Date.now() + expiresInMs).toISOString(),
  refreshToken: 'refresh-1',
  auth,
});

function gateway(refresh: (token: string) => Promise<Tokens>): { calls: string[]; factory: () => CognitoGateway } {
  const calls: string[] = [];
  const stub = {
    close: () => undefined,
    refresh: (token: string) => {
      calls.push(token);
      return refresh(token);
    },
  };
  return { calls, factory: () => stub as unknown as CognitoGateway };
}

describe('credentials store', () => {
  it('keeps one session per endpoint in a file only the user can read', async () => {
    await store.put(endpoint, session(60_000));
    await store.put('https://tote.example.com', { ...session(60_000), email: 'b@example.com' });
    expect((await store.get(endpoint))?.email).toBe('a@example.com');
    expect((await store.get('https://tote.example.com'))?.email).toBe('b@example.com');
    expect(statSync(join(dir, 'credentials.json')).mode & 0o777).toBe(0o600);
    expect(await store.remove(endpoint)).toBe(true);
    expect(await store.remove(endpoint)).toBe(false);
    expect(await store.get(endpoint)).toBeUndefined();
  });
});

describe('auth session', () => {
  it('hands out a fresh token without refreshing', async () => {
    await store.put(endpoint, session(3_600_000));
    const g = gateway(async () => Promise.reject(new Error('unexpected')));
    expect(await new AuthSession({ endpoint, store, gateway: g.factory }).accessToken()).toBe('old');
    expect(g.calls).toEqual([]);
  });

  it('refreshes a token about to expire, once for concurrent callers, and saves it', async () => {
    await store.put(endpoint, session(10_000));
    const g = gateway(async () => ({ accessToken: 'new', accessTokenExpiresAt: new Date(Date.now() + 3_600_000) }));
    const s = new AuthSession({ endpoint, store, gateway: g.factory });
    expect(await Promise.all([s.accessToken(), s.accessToken(), s.refreshedAccessToken()])).toEqual(['new', 'new', 'new']);
    expect(g.calls).toEqual(['refresh-1']);
    expect(await store.get(endpoint)).toMatchObject({ accessToken: 'new', refreshToken: 'refresh-1' });
  });

  it('says "not logged in" when there is no session or the refresh token is no longer accepted', async () => {
    const g = gateway(async () => Promise.reject(new ToteError('AUTH_FAILED', 'incorrect email or password')));
    await expect(new AuthSession({ endpoint, store, gateway: g.factory }).accessToken()).rejects.toMatchObject({ code: 'NOT_LOGGED_IN' });
    await store.put(endpoint, session(-1));
    await expect(new AuthSession({ endpoint, store, gateway: g.factory }).accessToken()).rejects.toMatchObject({
      code: 'NOT_LOGGED_IN',
      message: expect.stringContaining('expired'),
    });
  });
});
