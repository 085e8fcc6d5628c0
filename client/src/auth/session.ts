/**
 * The signed-in session for one endpoint, as the API client's token source: hands out the stored
 * access token while it is fresh, refreshes it with the refresh token when it is about to expire or
 * the API refused it, and saves the new one. Concurrent callers share one refresh.
 */
import type { TokenSource } from '../core/api/client';
import { hasCode, ToteError } from '../core/errors';
import type { CognitoGateway } from './cognito';
import type { AuthDiscovery, CredentialsStore, StoredSession } from './credentials';

/** Refresh this long before the token's expiry, so a request never leaves with a token about to lapse. */
const EXPIRY_MARGIN_MS = 60_000;

export interface AuthSessionDeps {
  readonly endpoint: string;
  readonly store: CredentialsStore;
  readonly gateway: (auth: AuthDiscovery) => CognitoGateway;
  readonly now?: () => number;
}

export class AuthSession implements TokenSource {
  private session?: StoredSession;
  private refreshing?: Promise<string>;

  constructor(private readonly deps: AuthSessionDeps) {}

  async accessToken(): Promise<string> {
    const session = await this.current();
    const now = this.deps.now?.() ?? Date.now();
    if (Date.parse(session.accessTokenExpiresAt) - EXPIRY_MARGIN_MS > now) return session.accessToken;
    return this.refreshedAccessToken();
  }

  refreshedAccessToken(): Promise<string> {
    this.refreshing ??= this.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private async current(): Promise<StoredSession> {
    this.session ??= await this.deps.store.get(this.deps.endpoint);
    if (!this.session) throw new ToteError('NOT_LOGGED_IN', `not logged in to ${this.deps.endpoint}`);
    return this.session;
  }

  private async refresh(): Promise<string> {
    const session = await this.current();
    const gateway = this.deps.gateway(session.auth);
    let tokens;
    try {
      tokens = await gateway.refresh(session.refreshToken);
    } catch (error) {
      if (hasCode(error, 'AUTH_FAILED')) throw new ToteError('NOT_LOGGED_IN', `the session for ${this.deps.endpoint} has expired`, { cause: error });
      throw error;
    } finally {
      gateway.close();
    }
    const renewed: StoredSession = {
      ...session,
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: tokens.accessTokenExpiresAt.toISOString(),
      refreshToken: tokens.refreshToken ?? session.refreshToken,
    };
    await this.deps.store.put(this.deps.endpoint, renewed);
    this.session = renewed;
    return renewed.accessToken;
  }
}
